// secure_file.cpp — see secure_file.h.
#include "barrel/transport/secure_file.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include "credentials/sodium_init.h"

namespace barrel::transport {
namespace {

Status io_error(std::string_view what, const std::string& path, int err) {
  std::string m(what);
  m += " ";
  m += path;
  m += ": ";
  m += std::strerror(err);
  return Status(Code::kIo, m);
}

// Closes a file descriptor on scope exit unless released.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() {
    if (fd_ >= 0)
      ::close(fd_);
  }
  int get() const { return fd_; }
  // Closes now and reports close(2)'s result (a late write error shows here).
  int close_now() {
    const int rv = ::close(fd_);
    fd_ = -1;
    return rv;
  }

 private:
  int fd_;
};

// Unlinks the temp file on scope exit unless disarmed.
class TempGuard {
 public:
  explicit TempGuard(std::string path) : path_(std::move(path)) {}
  TempGuard(const TempGuard&) = delete;
  TempGuard& operator=(const TempGuard&) = delete;
  ~TempGuard() {
    if (armed_)
      ::unlink(path_.c_str());
  }
  void disarm() { armed_ = false; }

 private:
  std::string path_;
  bool armed_ = true;
};

std::string dir_of(const std::string& path) {
  const size_t slash = path.rfind('/');
  if (slash == std::string::npos)
    return ".";
  if (slash == 0)
    return "/";
  return path.substr(0, slash);
}

std::string base_of(const std::string& path) {
  const size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

std::string random_suffix() {
  std::array<uint8_t, 8> r{};
  if (sodium_ready()) {
    randombytes_buf(r.data(), r.size());
  } else {
    // Only the name's uniqueness is at stake (O_EXCL catches a clash).
    const auto pid = static_cast<uint64_t>(::getpid());
    std::memcpy(r.data(), &pid, sizeof(pid));
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string s;
  for (uint8_t b : r) {
    s.push_back(kHex[b >> 4]);
    s.push_back(kHex[b & 15]);
  }
  return s;
}

Status write_all(int fd, std::span<const uint8_t> bytes, const std::string& path) {
  size_t done = 0;
  // Bounded: every iteration writes at least one byte or fails (EINTR aside,
  // which cannot repeat forever without a signal storm).
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0) {
      if (errno == EINTR)
        continue;
      return io_error("cannot write", path, errno);
    }
    done += static_cast<size_t>(n);
  }
  return Status::ok();
}

Status sync_dir(const std::string& dir) {
  Fd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd.get() < 0)
    return io_error("cannot open directory", dir, errno);
  if (::fsync(fd.get()) != 0)
    return io_error("cannot sync directory", dir, errno);
  return Status::ok();
}

}  // namespace

Status write_file_atomic(const std::string& path, std::span<const uint8_t> bytes, mode_t mode,
                         Overwrite overwrite) {
  const std::string dir = dir_of(path);
  std::string tmp;
  int raw_fd = -1;
  // A clash of 64 random bits means something else is wrong; stop after 8.
  for (int attempt = 0; attempt < 8 && raw_fd < 0; ++attempt) {
    tmp = dir + "/." + base_of(path) + ".tmp." + random_suffix();
    raw_fd = ::open(tmp.c_str(), O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, mode & 07777);
    if (raw_fd < 0 && errno != EEXIST)
      return io_error("cannot create", tmp, errno);
  }
  if (raw_fd < 0)
    return io_error("cannot create a temp file for", path, EEXIST);
  Fd fd(raw_fd);
  TempGuard guard(tmp);
  // The umask may have removed bits from `mode`; never added any. Setting
  // the exact mode before the first byte keeps the promise in both ways.
  if (::fchmod(fd.get(), mode & 07777) != 0)
    return io_error("cannot chmod", tmp, errno);
  if (Status s = write_all(fd.get(), bytes, tmp); !s.is_ok())
    return s;
  if (::fsync(fd.get()) != 0)
    return io_error("cannot sync", tmp, errno);
  if (fd.close_now() != 0)
    return io_error("cannot close", tmp, errno);
  if (overwrite == Overwrite::kNoReplace) {
    // link(2) fails with EEXIST if the target exists: create-if-absent in
    // one step. The guard then unlinks the temp name.
    if (::link(tmp.c_str(), path.c_str()) != 0) {
      if (errno == EEXIST)
        return Status::already_exists(path + " already exists");
      return io_error("cannot link into place", path, errno);
    }
  } else {
    if (::rename(tmp.c_str(), path.c_str()) != 0)
      return io_error("cannot rename into place", path, errno);
    guard.disarm();
  }
  return sync_dir(dir);
}

Status write_file_atomic(const std::string& path, std::string_view bytes, mode_t mode,
                         Overwrite overwrite) {
  return write_file_atomic(
      path, std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()),
      mode, overwrite);
}

Result<std::string> read_file(const std::string& path, size_t max_bytes) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) {
    if (errno == ENOENT)
      return Status::not_found(path + " does not exist");
    return io_error("cannot open", path, errno);
  }
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0)
    return io_error("cannot stat", path, errno);
  if (!S_ISREG(st.st_mode))
    return Status(Code::kIo, path + " is not a regular file");
  const size_t cap = max_bytes + 1;  // one more byte tells "too long" apart
  const size_t expected = static_cast<size_t>(st.st_size);
  // Sized once from fstat so a secret is not left behind by reallocation.
  std::string out(expected < cap ? expected + 1 : cap, '\0');
  size_t got = 0;
  // Bounded: each iteration reads at least one byte, and at most `cap` in all.
  while (got < cap) {
    if (got == out.size())
      out.resize(std::min(cap, out.size() * 2));
    const ssize_t n = ::read(fd.get(), out.data() + got, out.size() - got);
    if (n < 0) {
      if (errno == EINTR)
        continue;
      sodium_memzero(out.data(), out.size());
      return io_error("cannot read", path, errno);
    }
    if (n == 0)
      break;
    got += static_cast<size_t>(n);
  }
  if (got > max_bytes) {
    sodium_memzero(out.data(), out.size());
    return Status(Code::kOversized,
                  path + " is longer than " + std::to_string(max_bytes) + " bytes");
  }
  out.resize(got);
  return out;
}

Status check_private(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    if (errno == ENOENT)
      return Status::not_found(path + " does not exist");
    return io_error("cannot stat", path, errno);
  }
  if ((st.st_mode & 077) == 0)
    return Status::ok();
  std::array<char, 8> mode{};
  std::snprintf(mode.data(), mode.size(), "%04o", static_cast<unsigned>(st.st_mode & 07777));
  const char* who = (st.st_mode & 044) != 0 ? "readable" : "accessible";
  return Status::failed_precondition(path + " is " + who + " by others (mode " + mode.data() +
                                     "); a secret must be private: run chmod 600 " + path);
}

Result<bool> file_exists(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0)
    return true;
  if (errno == ENOENT)
    return false;
  return io_error("cannot stat", path, errno);
}

Status ensure_directory(const std::string& path, mode_t mode) {
  if (path.empty())
    return Status::invalid_argument("empty directory path");
  // Each prefix ending before a '/' (and the whole path), in order; bounded
  // by the path's length.
  for (size_t end = 1; end <= path.size(); ++end) {
    if (end != path.size() && path[end] != '/')
      continue;
    const std::string prefix = path.substr(0, end);
    if (::mkdir(prefix.c_str(), mode & 07777) == 0)
      continue;
    if (errno != EEXIST)
      return io_error("cannot create directory", prefix, errno);
    struct stat st {};
    if (::stat(prefix.c_str(), &st) != 0)
      return io_error("cannot stat", prefix, errno);
    if (!S_ISDIR(st.st_mode))
      return Status(Code::kIo, prefix + " exists and is not a directory");
  }
  return Status::ok();
}

}  // namespace barrel::transport
