// SPDX-License-Identifier: GPL-2.0
// YNL's C library and the generated "sriov" client, included from C++.
// Both are C (compiled as C in the sriov_ynl library); the only construct
// C++ rejects is the generated inline helpers assigning malloc()/calloc()
// results to typed pointers, so for the length of the include those two
// return a value that converts to any object pointer.  Nothing generated
// is edited.
#pragma once

#include <cstdlib>
#include <cstring>

namespace sriov::netlink::detail {
struct AnyPtr {
	void *p;
	template <class T> operator T *() const // NOLINT(google-explicit-constructor)
	{
		return static_cast<T *>(p);
	}
};
} // namespace sriov::netlink::detail

#pragma push_macro("malloc")
#pragma push_macro("calloc")
#define malloc(sz) (::sriov::netlink::detail::AnyPtr{std::malloc(sz)})
#define calloc(n, sz) (::sriov::netlink::detail::AnyPtr{std::calloc((n), (sz))})
extern "C" {
#include "ynl.h"
#include "sriov-user.h"
}
#pragma pop_macro("calloc")
#pragma pop_macro("malloc")
