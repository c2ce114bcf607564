// process_harness.h — real processes for tests: spawn, read their output
// until a condition holds (bounded by a deadline), signal, reap.
//
// Waiting is done with poll(2) on the child's output pipe, never by
// sleeping: a condition is checked each time output arrives or the pipe
// closes, and the deadline bounds everything.
#pragma once

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <functional>
#include <string>
#include <vector>

extern char** environ;

namespace barrel::testing {

class Child {
 public:
  // Starts argv[0] with stdout and stderr on one pipe. pid() < 0 on failure.
  explicit Child(const std::vector<std::string>& argv) {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0)
      return;
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, fds[1], STDOUT_FILENO);
    posix_spawn_file_actions_adddup2(&fa, fds[1], STDERR_FILENO);
    std::vector<char*> args;
    for (const std::string& a : argv)
      args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    if (posix_spawn(&pid_, args[0], &fa, nullptr, args.data(), environ) != 0)
      pid_ = -1;
    posix_spawn_file_actions_destroy(&fa);
    ::close(fds[1]);
    fd_ = fds[0];
  }
  ~Child() {
    if (pid_ > 0 && !exited_) {
      ::kill(pid_, SIGKILL);
      int status = 0;
      ::waitpid(pid_, &status, 0);
    }
    if (fd_ >= 0)
      ::close(fd_);
  }
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;

  pid_t pid() const { return pid_; }
  const std::string& output() const { return out_; }

  // Reads output until `pred(output)` holds, the pipe closes, or `limit`
  // passes. Returns whether pred held.
  bool read_until(const std::function<bool(const std::string&)>& pred,
                  std::chrono::milliseconds limit = std::chrono::seconds(10)) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (!pred(out_)) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0 || !read_some(static_cast<int>(left.count())))
        return pred(out_);
    }
    return true;
  }
  bool read_until_contains(const std::string& needle,
                           std::chrono::milliseconds limit = std::chrono::seconds(10)) {
    return read_until([&](const std::string& o) { return o.find(needle) != std::string::npos; },
                      limit);
  }

  void signal(int sig) {
    if (pid_ > 0 && !exited_)
      ::kill(pid_, sig);
  }

  // Waits for the exit (reading output meanwhile); the exit code, 128+signal
  // for a signal, or -1 if it did not exit within `limit`. Waits on a pidfd
  // (poll(2) wakes at the exit), so no polling loop.
  int wait(std::chrono::milliseconds limit = std::chrono::seconds(10)) {
    if (pid_ <= 0)
      return -1;
    const auto deadline = std::chrono::steady_clock::now() + limit;
    const int pidfd = static_cast<int>(::syscall(SYS_pidfd_open, pid_, 0));
    if (pidfd < 0)
      return -1;
    for (;;) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                            deadline - std::chrono::steady_clock::now())
                            .count();
      if (left <= 0)
        break;
      pollfd p[2] = {{pidfd, POLLIN, 0}, {fd_, POLLIN, 0}};
      if (::poll(p, fd_ >= 0 ? 2 : 1, static_cast<int>(left)) <= 0)
        break;
      if (p[1].revents != 0 && fd_ >= 0)
        read_some(0);
      if (p[0].revents != 0) {
        while (read_some(0)) {
        }
        int status = 0;
        ::waitpid(pid_, &status, 0);
        ::close(pidfd);
        exited_ = true;
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      }
    }
    ::close(pidfd);
    return -1;
  }

 private:
  // One poll + read; false when the pipe is closed or nothing came in time.
  bool read_some(int timeout_ms) {
    if (fd_ < 0)
      return false;
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, timeout_ms) <= 0)
      return false;
    char buf[4096];
    const ssize_t n = ::read(fd_, buf, sizeof buf);
    if (n <= 0) {
      ::close(fd_);
      fd_ = -1;
      return false;
    }
    out_.append(buf, static_cast<size_t>(n));
    return true;
  }

  pid_t pid_ = -1;
  int fd_ = -1;
  bool exited_ = false;
  std::string out_;
};

// Runs argv to completion (bounded); returns {exit code, output}.
struct RunResult {
  int code = -1;
  std::string output;
};
inline RunResult run(const std::vector<std::string>& argv,
                     std::chrono::milliseconds limit = std::chrono::seconds(10)) {
  Child c(argv);
  RunResult r;
  r.code = c.wait(limit);
  r.output = c.output();
  return r;
}

}  // namespace barrel::testing
