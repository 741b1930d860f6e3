/** placeholder */
package org.linearicl.analysis;
