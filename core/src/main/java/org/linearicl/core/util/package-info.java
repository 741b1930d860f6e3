/** Small utilities shared by every module: canonical number text. */
package org.linearicl.core.util;
