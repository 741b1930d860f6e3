/** Reproducible random streams: one seeded stream per purpose, platform-independent normals. */
package org.linearicl.core.random;
