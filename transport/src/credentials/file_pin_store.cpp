// file_pin_store.cpp — see file_pin_store.h.
#include "barrel/transport/file_pin_store.h"

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>

#include "barrel/ids.h"
#include "barrel/transport/secure_file.h"

namespace barrel::transport {
namespace {

constexpr std::string_view kSuffix = ".pub";

Status check_name(std::string_view name) {
  if (Status s = validate_node_name(name); !s.is_ok())
    return s;
  // The grammar has no '/' or NUL; a path is built from the name only if
  // that stays true whatever the grammar becomes.
  if (name.find('/') != std::string_view::npos || name.find('\0') != std::string_view::npos)
    return Status(Code::kBadName, "a pinned name cannot contain '/' or NUL");
  return Status::ok();
}

Status io_error(std::string_view what, const std::string& path, int err) {
  return Status(Code::kIo, std::string(what) + " " + path + ": " + std::strerror(err));
}

struct DirCloser {
  void operator()(DIR* d) const { ::closedir(d); }
};

}  // namespace

std::string FilePinStore::path_of(std::string_view name) const {
  return dir_ + "/" + std::string(name) + std::string(kSuffix);
}

Result<std::optional<PublicKey>> FilePinStore::find(std::string_view name) const {
  if (Status s = check_name(name); !s.is_ok())
    return s;
  const std::string path = path_of(name);
  auto bytes = read_file(path, kPublicKeyBytes);
  if (!bytes.is_ok()) {
    if (bytes.status().code() == Code::kNotFound)
      return std::optional<PublicKey>();
    if (bytes.status().code() == Code::kOversized)
      return Status(Code::kMalformed,
                    "pin file " + path + " must be exactly 32 bytes (a raw Ed25519 public key)");
    return bytes.status();
  }
  if (bytes->size() != kPublicKeyBytes)
    return Status(Code::kMalformed, "pin file " + path + " must be exactly 32 bytes, it is " +
                                        std::to_string(bytes->size()));
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0)
    return io_error("cannot stat", path, errno);
  if ((st.st_mode & 022) != 0)
    return Status::failed_precondition("pin file " + path +
                                       " is writable by others; run chmod 600 " + path);
  PublicKey key{};
  std::copy(bytes->begin(), bytes->end(), key.begin());
  return std::optional<PublicKey>(key);
}

Status FilePinStore::pin(std::string_view name, const PublicKey& key) {
  auto existing = find(name);  // validates the name
  if (!existing.is_ok())
    return existing.status();
  const std::string path = path_of(name);
  if (existing->has_value())
    return **existing == key ? Status::ok()
                             : Status::already_exists("a different key is pinned for " +
                                                      std::string(name) + " in " + path);
  Status s = write_file_atomic(path, std::span<const uint8_t>(key), 0600, Overwrite::kNoReplace);
  if (s.code() != Code::kAlreadyExists)
    return s;
  // Another writer pinned it between find() and here: same answer as above.
  auto now = find(name);
  if (!now.is_ok())
    return now.status();
  if (now->has_value() && **now == key)
    return Status::ok();
  return Status::already_exists("a different key is pinned for " + std::string(name) + " in " +
                                path);
}

Status FilePinStore::remove(std::string_view name) {
  if (Status s = check_name(name); !s.is_ok())
    return s;
  const std::string path = path_of(name);
  if (::unlink(path.c_str()) != 0) {
    if (errno == ENOENT)
      return Status::not_found("no pin for " + std::string(name));
    return io_error("cannot remove", path, errno);
  }
  return Status::ok();
}

Result<std::vector<std::pair<std::string, PublicKey>>> FilePinStore::list() const {
  std::unique_ptr<DIR, DirCloser> dir(::opendir(dir_.c_str()));
  if (!dir)
    return io_error("cannot open directory", dir_, errno);
  std::vector<std::pair<std::string, PublicKey>> out;
  // Bounded: readdir returns each entry once; the pin count is capped.
  for (;;) {
    errno = 0;
    const dirent* e = ::readdir(dir.get());
    if (e == nullptr) {
      if (errno != 0)
        return io_error("cannot read directory", dir_, errno);
      break;
    }
    const std::string_view file(e->d_name);
    if (file.size() <= kSuffix.size() || !file.ends_with(kSuffix))
      continue;
    const std::string_view name = file.substr(0, file.size() - kSuffix.size());
    if (!check_name(name).is_ok())
      continue;  // not a pin (see the header)
    auto key = find(name);
    if (!key.is_ok())
      return key.status();
    if (!key->has_value())
      continue;  // removed since readdir saw it
    if (out.size() == kPinsMax)
      return Status::limit_exceeded("more than " + std::to_string(kPinsMax) + " pins in " + dir_);
    out.emplace_back(std::string(name), **key);
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  return out;
}

}  // namespace barrel::transport
