// SPDX-License-Identifier: GPL-2.0
// Durable whole-file replacement: write tmp, fsync, rename, fsync directory.
#pragma once

#include <optional>
#include <string>

namespace sriov::store {

/// Replace @path with @data atomically and durably.  Returns errno, 0 on success.
int write_file_atomic(const std::string &path, const std::string &data, bool durable = true);

/// fsync the directory that holds @path (its entries made durable); an
/// unopenable directory is not an error.  Returns errno, 0 on success.
int fsync_dir_of(const std::string &path);

/// Whole file contents, nullopt if it does not exist.  A file that exists
/// but cannot be read (EACCES, EIO, a directory) throws std::system_error:
/// never mistaken for an absent one.
std::optional<std::string> read_file(const std::string &path);

} // namespace sriov::store
