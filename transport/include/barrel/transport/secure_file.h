// secure_file.h — the few file operations that credentials need, done safely.
//
// Secrets (node keys, TLS keys, pins) must never be visible half-written or
// with a wider mode than intended, even for an instant, and a crash must
// leave either the old file or the new one, never a mix. So a write goes to a
// temp file in the same directory, created with its final mode before the
// first byte (O_CREAT|O_EXCL), is synced, and is renamed over the target;
// then the directory is synced so the rename itself survives a crash.
//
// Every error is a Status that names the path and carries strerror(errno):
// these messages reach an operator at start-up.
//
// Thread-safety: free functions with no shared state; two writers of the same
// path race only on which rename lands last (each sees a complete file).
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "barrel/result.h"
#include "barrel/status.h"

namespace barrel::transport {

enum class Overwrite : uint8_t {
  kReplace,    // rename over an existing file (the normal case)
  kNoReplace,  // kAlreadyExists if the target exists; the check and the
               // creation are one atomic step (link(2)), so two racing
               // writers cannot both win
};

// Writes `bytes` to `path` atomically with permission bits exactly `mode`
// (applied with fchmod, so the umask cannot change them). The temp file is
// "<dir>/.<name>.tmp.<random>" and is removed on every failure path.
// kIo on any system-call failure, kAlreadyExists (kNoReplace only).
Status write_file_atomic(const std::string& path, std::span<const uint8_t> bytes, mode_t mode,
                         Overwrite overwrite = Overwrite::kReplace);
Status write_file_atomic(const std::string& path, std::string_view bytes, mode_t mode,
                         Overwrite overwrite = Overwrite::kReplace);

// The whole content of `path`, at most `max_bytes`. kNotFound if it does not
// exist, kOversized if it is longer than `max_bytes`, kIo otherwise.
// The caller wipes the returned string if it holds a secret.
Result<std::string> read_file(const std::string& path, size_t max_bytes);

// OK iff `path` (after symlinks) grants no permission to group or others.
// Otherwise kFailedPrecondition: "FILE is readable by others (mode 0644);
// run: chmod 600 FILE". kNotFound / kIo if it cannot be stat'ed.
Status check_private(const std::string& path);

// True iff `path` exists (any type). kIo if stat fails for another reason
// than ENOENT (e.g. EACCES), so a permission problem is not taken as absence.
Result<bool> file_exists(const std::string& path);

// Creates `path` and any missing parents with `mode` (mkdir -p). An existing
// directory is left as it is; an existing non-directory is kIo.
Status ensure_directory(const std::string& path, mode_t mode);

}  // namespace barrel::transport
