/* SPDX-License-Identifier: MIT */
/* Our own table of the newest syscalls, for names an older libseccomp's table lacks (pure data).
 * Since Linux 5.1 a new syscall takes the same number on every architecture (alpha and ia64
 * aside, which libseccomp doesn't support): 424 and up, plus the ABI's offset (x32's
 * 0x40000000 bit, MIPS's 4000/5000/6000), so one column serves every ABI. */
#pragma once

/* The number in the common numbering (without the ABI's offset), or -1 if the table lacks NAME. */
int syscall_table_number(const char *name);
/* The name of a number in the common numbering, or NULL. */
const char *syscall_table_name(int number);
/* The first and the highest number in the table. */
int syscall_table_first(void);
int syscall_table_last(void);
