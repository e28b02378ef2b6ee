/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Built out of tree, for a kernel without the series: the loader is a
 * module there, and what that kernel keeps from modules is done here
 * the same way (scripts/oot-module writes this file; it is not part of
 * the series). The kernel's headers come first, then the names the
 * loader calls are pointed at these versions.
 */
#ifndef FLAT_COM_OOT_COMPAT_H
#define FLAT_COM_OOT_COMPAT_H

/* As the loader has it, which the headers below must not define first. */
#define pr_fmt(fmt) "binfmt_flat_com: " fmt

#include <linux/capability.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/mount.h>
#include <linux/random.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sched/task_stack.h>
#include <linux/security.h>
#include <linux/sizes.h>
#include <linux/user_namespace.h>
#include <linux/version.h>
#include <linux/xattr.h>
#include <asm/elf.h>
#include <asm/unistd.h>

/* An integer sysctl, read through /proc as a user would. */
static inline long flat_com_oot_sysctl(const char *path, long fallback)
{
	struct file *f = filp_open(path, O_RDONLY, 0);
	char buf[24] = "";
	loff_t pos = 0;
	long val;

	if (IS_ERR(f))
		return fallback;
	if (kernel_read(f, buf, sizeof(buf) - 1, &pos) <= 0 ||
	    kstrtol(strim(buf), 10, &val))
		val = fallback;
	filp_close(f, NULL);
	return val;
}

/* A boolean module parameter, read through sysfs as a user would. */
static inline bool flat_com_oot_param(const char *path)
{
	struct file *f = filp_open(path, O_RDONLY, 0);
	char c = 'N';
	loff_t pos = 0;

	if (IS_ERR(f))
		return false;
	if (kernel_read(f, &c, 1, &pos) != 1)
		c = 'N';
	filp_close(f, NULL);
	return c == 'Y' || c == 'y' || c == '1';
}

/*
 * An lvalue of the sysctl at @path, for READ_ONCE(): its value at the
 * time of asking.
 */
#define FLAT_COM_OOT_SYSCTL_INT(name, path, fallback)			\
static inline int *flat_com_oot_##name(void)				\
{									\
	static int val;							\
									\
	val = flat_com_oot_sysctl(path, fallback);			\
	return &val;							\
}

FLAT_COM_OOT_SYSCTL_INT(randomize_va_space,
			"/proc/sys/kernel/randomize_va_space", 2)
FLAT_COM_OOT_SYSCTL_INT(max_map_count, "/proc/sys/vm/max_map_count", 65530)

#undef randomize_va_space
#define randomize_va_space (*flat_com_oot_randomize_va_space())
#undef sysctl_max_map_count
#define sysctl_max_map_count (*flat_com_oot_max_map_count())
#undef dac_mmap_min_addr
#define dac_mmap_min_addr \
	((unsigned long)flat_com_oot_sysctl("/proc/sys/vm/mmap_min_addr", 65536))

/* The capability part of security_mmap_addr() (cap_mmap_addr()). */
static inline int flat_com_oot_mmap_addr(unsigned long addr)
{
	if (addr < dac_mmap_min_addr && !capable(CAP_SYS_RAWIO))
		return -EPERM;
	return 0;
}
#define security_mmap_addr flat_com_oot_mmap_addr

/*
 * The overcommit policies, as __vm_enough_memory() with no admin
 * reserve: "always"; the heuristic, without swap (modules cannot see
 * its size); and the strict one, vm_commit_limit() without swap and
 * huge pages, less vm.admin_reserve_kbytes, against what is committed.
 * Nothing is charged, so there is nothing to give back.
 */
static inline int flat_com_oot_enough_memory(struct mm_struct *mm, long pages)
{
	long policy = flat_com_oot_sysctl("/proc/sys/vm/overcommit_memory", 0);
	long kbytes, allowed;

	if (policy == 1)
		return 0;
	if (policy != 2)
		return pages > totalram_pages() ? -ENOMEM : 0;
	kbytes = flat_com_oot_sysctl("/proc/sys/vm/overcommit_kbytes", 0);
	if (kbytes)
		allowed = kbytes >> (PAGE_SHIFT - 10);
	else
		allowed = totalram_pages() *
			  flat_com_oot_sysctl("/proc/sys/vm/overcommit_ratio", 50) / 100;
	allowed -= flat_com_oot_sysctl("/proc/sys/vm/admin_reserve_kbytes", 0) >>
		   (PAGE_SHIFT - 10);
	return vm_memory_committed() + pages > allowed ? -ENOMEM : 0;
}
#define __vm_enough_memory(mm, pages, cap_sys_admin) \
	flat_com_oot_enough_memory(mm, pages)
#undef vm_unacct_memory
#define vm_unacct_memory(pages) do { } while (0)

/*
 * may_expand_vm() of mm/mmap.c, not exported: RLIMIT_AS, and
 * RLIMIT_DATA for a private writable mapping, with its exception for a
 * zero soft limit and the ignore_rlimit_data parameter (read here from
 * sysfs), without its warning.
 */
static inline bool flat_com_oot_may_expand_vm(struct mm_struct *mm,
					      vm_flags_t flags,
					      unsigned long npages)
{
	if (mm->total_vm + npages > rlimit(RLIMIT_AS) >> PAGE_SHIFT)
		return false;
	if ((flags & (VM_WRITE | VM_SHARED | VM_STACK)) == VM_WRITE &&
	    mm->data_vm + npages > rlimit(RLIMIT_DATA) >> PAGE_SHIFT) {
		if (!rlimit(RLIMIT_DATA) &&
		    mm->data_vm + npages <= rlimit_max(RLIMIT_DATA) >> PAGE_SHIFT)
			return true;
		return flat_com_oot_param("/sys/module/kernel/parameters/ignore_rlimit_data");
	}
	return true;
}
#define may_expand_vm flat_com_oot_may_expand_vm

/*
 * Not exported: whether a file has capabilities, as commoncap, the only
 * security module with an inode_need_killpriv hook, says. An error
 * other than "no such attribute" counts as privileges (not ruled out).
 */
static inline int flat_com_oot_need_killpriv(struct dentry *dentry)
{
	int err = __vfs_getxattr(dentry, d_inode(dentry), XATTR_NAME_CAPS,
				 NULL, 0);

	if (err == -ENODATA || err == -EOPNOTSUPP)
		return 0;
	return err > 0 ? 1 : err;
}
#define security_inode_need_killpriv flat_com_oot_need_killpriv

/*
 * mnt_may_suid() of fs/namespace.c, not exported, without its check that
 * the mount is in the caller's mount namespace: a file on a mount of
 * another one is then declined when it could raise privileges, instead
 * of run without them.
 */
static inline bool flat_com_oot_may_suid(struct vfsmount *mnt)
{
	return !(mnt->mnt_flags & MNT_NOSUID) &&
	       current_in_userns(mnt->mnt_sb->s_user_ns);
}
#define mnt_may_suid flat_com_oot_may_suid

static inline unsigned long flat_com_oot_stack_top(unsigned long top)
{
	unsigned long rnd = 0;

	if (current->flags & PF_RANDOMIZE)
		rnd = (get_random_long() & STACK_RND_MASK) << PAGE_SHIFT;
	return PAGE_ALIGN(top) - rnd;
}
#define randomize_stack_top flat_com_oot_stack_top

static inline unsigned long flat_com_oot_randomize_brk(struct mm_struct *mm)
{
	unsigned long pages = SZ_1G >> PAGE_SHIFT;

	return mm->brk + ((get_random_long() % pages) << PAGE_SHIFT);
}
#define arch_randomize_brk flat_com_oot_randomize_brk

/*
 * Not exported: out of tree, the security modules' mmap_file hook is
 * not asked before the point of no return, only by vm_mmap() after it.
 */
static inline int flat_com_oot_mmap_file(struct file *file,
					 unsigned long prot,
					 unsigned long flags)
{
	return 0;
}
#define security_mmap_file flat_com_oot_mmap_file

/* arch_align_stack() of arch/x86/kernel/process.c. */
static inline unsigned long flat_com_oot_align_stack(unsigned long sp)
{
	if (!(current->personality & ADDR_NO_RANDOMIZE) && randomize_va_space)
		sp -= get_random_u32_below(8192);
	return sp & ~0xf;
}
#define arch_align_stack flat_com_oot_align_stack

/*
 * Before FOP_HUGE_PAGES (6.12), is_file_hugepages() compared the file's
 * operations with symbols that are not exported. A file of hugetlbfs,
 * and a SysV segment on huge pages, have an inode of hugetlbfs.
 */
#if defined(CONFIG_HUGETLBFS) && !defined(FOP_HUGE_PAGES)
#include <linux/hugetlb.h>
#include <linux/magic.h>

static inline bool flat_com_oot_file_hugepages(struct file *file)
{
	return file_inode(file)->i_sb->s_magic == HUGETLBFS_MAGIC;
}
#define is_file_hugepages flat_com_oot_file_hugepages
#endif

/*
 * set_personality_64bit() of arch/x86/kernel/process_64.c. Before 6.4,
 * mm->context.flags was a mask, and this function set it to the one flag.
 */
static inline void flat_com_oot_personality_64bit(void)
{
	clear_thread_flag(TIF_ADDR32);
	task_pt_regs(current)->orig_ax = __NR_execve;
	current_thread_info()->status &= ~TS_COMPAT;
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 4, 0)
	if (current->mm)
		__set_bit(MM_CONTEXT_HAS_VSYSCALL, &current->mm->context.flags);
#else
	if (current->mm)
		current->mm->context.flags = MM_CONTEXT_HAS_VSYSCALL;
#endif
	current->personality &= ~READ_IMPLIES_EXEC;
}
#define set_personality_64bit flat_com_oot_personality_64bit

#endif /* FLAT_COM_OOT_COMPAT_H */
