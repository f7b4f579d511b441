/* SPDX-License-Identifier: MIT */
#pragma once

#include "util.h"

/* A new network namespace starts with loopback down; bring it up as bubblewrap does. */
int net_loopback_up(sandbox_error_t *e);
