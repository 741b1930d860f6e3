/**
 * Small utilities shared by every module: canonical number text, the SHA-256 digest, the records'
 * null checks, the bound checks worded alike everywhere, and the executor whose fixed chunks make
 * parallel results independent of the thread count.
 */
package org.linearicl.core.util;
