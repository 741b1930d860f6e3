/** placeholder */
package org.linearicl.experiments;
