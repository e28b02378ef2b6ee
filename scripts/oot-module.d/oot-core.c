// SPDX-License-Identifier: GPL-2.0
/*
 * Out of tree, the loader the formats share is a module of its own,
 * flat_com.ko, which binfmt_com.ko and binfmt_calm.ko need loaded first.
 */
#include <linux/module.h>

MODULE_DESCRIPTION("The loader of the com and calm formats, out of tree");
MODULE_LICENSE("GPL");
