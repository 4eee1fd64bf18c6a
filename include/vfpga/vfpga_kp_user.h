/* SPDX-License-Identifier: MIT */
/*
 * What vfpga_kp.h takes from the kernel, for a plugin built in
 * user mode: vfpga_kp.h includes this file when __KERNEL__ is not defined,
 * so that the very same plugin source compiles into an object libvfpga
 * hosts (vfpga_kp_open_mode(dev, name, VFPGA_KP_USER, &kp)).  Only what the
 * plugin contract allows a plugin to use is here: the kernel's integer
 * types, errno values, memcpy/memset, the module macros and the lock.
 *
 * module_init(fn) becomes a constructor, so linking the plugin's object
 * into a program registers the plugin with libvfpga's user-mode registry
 * before main() (module_exit(fn): a destructor).  The calls of vfpga_kp.h
 * (vfpga_kp_read32() and the rest, vfpga_kp_register()) are implemented
 * by libvfpga (userlib/src/kp_user.c): registers through the BAR mapping,
 * time from CLOCK_MONOTONIC, log lines to stderr.
 */
#ifndef VFPGA_KP_USER_H
#define VFPGA_KP_USER_H

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <linux/types.h>

#include "vfpga_export.h"

typedef __u8 u8;
typedef __u16 u16;
typedef __u32 u32;
typedef __u64 u64;
typedef __s32 s32;
typedef __s64 s64;

#define U8_MAX		((u8)~0U)
#define U16_MAX		((u16)~0U)
#define U32_MAX		((u32)~0U)
#define U64_MAX		((u64)~0ULL)

#define __printf(a, b)	__attribute__((format(printf, a, b)))
#define __init
#define __exit

struct module;
#define THIS_MODULE	((struct module *)0)

/* Called by module_init's constructor: logs a failing init on stderr. */
VFPGA_EXPORT
void vfpga_kp_user_module_init(int (*fn)(void), const char *file);

#define module_init(fn)							\
	__attribute__((constructor)) static void vfpga_kp_user_ctor_(void) \
	{								\
		vfpga_kp_user_module_init(fn, __FILE__);		\
	}								\
	extern int vfpga_kp_user_decl_
#define module_exit(fn)							\
	__attribute__((destructor)) static void vfpga_kp_user_dtor_(void) \
	{								\
		fn();							\
	}								\
	extern int vfpga_kp_user_decl_
#define MODULE_DESCRIPTION(s)	extern int vfpga_kp_user_decl_
#define MODULE_LICENSE(s)	extern int vfpga_kp_user_decl_
#define MODULE_AUTHOR(s)	extern int vfpga_kp_user_decl_

/*
 * The lock: a mutex.  In user mode int_at_irql runs on one of libvfpga's
 * interrupt threads, not with interrupts off, so sleeping locks are fine.
 */
struct vfpga_kp_lock {
	pthread_mutex_t mutex;
};

static inline void vfpga_kp_lock_init(struct vfpga_kp_lock *l)
{
	pthread_mutex_init(&l->mutex, NULL);
}

static inline void vfpga_kp_lock(struct vfpga_kp_lock *l)
{
	pthread_mutex_lock(&l->mutex);
}

static inline void vfpga_kp_unlock(struct vfpga_kp_lock *l)
{
	pthread_mutex_unlock(&l->mutex);
}

#endif /* VFPGA_KP_USER_H */
