/** placeholder */
package org.linearicl.baselines;
