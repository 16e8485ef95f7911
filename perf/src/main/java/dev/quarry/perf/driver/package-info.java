/**
 * The end-to-end benchmark against tgtd (docs/performance.md): starts Quarry and tgtd on
 * loopback over equal backing files, drives both with real initiators ({@code qemu-img bench},
 * {@code iscsi-perf}) in alternation, and prints one table of medians and ratios.
 */
package dev.quarry.perf.driver;
