// barrel-ctl — talks to a running barrel-node through its control socket
// (tools/node/control_server.h; framing in control_protocol.h).
//
//   barrel-ctl [--socket PATH | --data-dir DIR] [--json] COMMAND ARGS...
//
// The socket is PATH, else DIR/control.sock, else data/control.sock (the
// node's default data directory, relative to the current directory).
//
// Registrations. `register NAME [KEY=VALUE...]` registers NAME for this
// barrel-ctl's connection and keeps it open: the service lives until Ctrl-C
// (or the process dies), then goes down everywhere with service_down.
// `register NAME ... --persistent` ties the service to the node's life
// instead and returns at once; `unregister NAME` removes it. `recv NAME`
// prints messages sent to NAME: to the node's --persistent registration of
// NAME if there is one (first those that arrived while no recv was attached:
// the node keeps them, bounded), else it registers NAME for its own
// connection first (metadata as for register) and unregisters it on exit.
//
// Exit status: 0 success, 1 the command failed (message on stderr; e.g. an
// unknown service, no node listening), 2 usage error. `events` and `recv` run
// until interrupted (SIGINT/SIGTERM: exit 0) or the node closes the socket
// (exit 1).
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "node/control_protocol.h"
#include "node/control_server.h"

namespace {

using barrel::node::Frame;
using barrel::node::FrameDecoder;
using barrel::node::FrameKind;
using barrel::node::json_quote;

constexpr int kExitOk = 0;
constexpr int kExitFailed = 1;
constexpr int kExitUsage = 2;

// Set by SIGINT/SIGTERM; the blocking reads below return EINTR (the handler
// is installed without SA_RESTART) and check it.
volatile sig_atomic_t g_interrupted = 0;

void on_signal(int) {
  g_interrupted = 1;
}

const char kUsage[] =
    "usage: barrel-ctl [--socket PATH | --data-dir DIR] [--json] COMMAND ARGS...\n"
    "commands:\n"
    "  identity                        this node's name, public key and fingerprint\n"
    "  active-view | passive-view      the overlay views\n"
    "  join CONTACT | leave\n"
    "  register NAME [K=V...] [--persistent]\n"
    "                                  without --persistent the service lives while this\n"
    "                                  command runs (Ctrl-C unregisters it: service_down);\n"
    "                                  with it, until the node stops or `unregister NAME`\n"
    "  unregister NAME\n"
    "  services | lookup NAME | whereis NAME\n"
    "  send NAME MESSAGE\n"
    "  recv NAME [K=V...]              print messages sent to NAME (registers NAME for\n"
    "                                  this connection unless the node has it --persistent;\n"
    "                                  then what waited for it prints first)\n"
    "  events                          stream peer and service events until Ctrl-C\n"
    "  trust list | trust delete NAME\n"
    "socket: PATH, else DIR/control.sock, else data/control.sock\n"
    "options may follow the command; after -- every word is an argument\n";

int usage_error(std::string_view why) {
  std::cerr << "barrel-ctl: " << why << "\n" << kUsage;
  return kExitUsage;
}

class Connection {
 public:
  ~Connection() {
    if (fd_ >= 0)
      ::close(fd_);
  }
  // Empty string on success, else the reason.
  std::string open(const std::string& path) {
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    if (path.size() >= sizeof addr.sun_path)
      return "socket path too long: " + path;
    std::memcpy(addr.sun_path, path.data(), path.size());
    fd_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd_ < 0)
      return std::string("socket: ") + std::strerror(errno);
    if (::connect(fd_, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0)
      return "cannot connect to " + path + ": " + std::strerror(errno) +
             " (is barrel-node running?)";
    return "";
  }
  bool send(const std::vector<std::string>& fields) {
    auto bytes = barrel::node::encode_frame({FrameKind::kRequest, fields});
    if (!bytes.is_ok()) {
      error_ = bytes.status().to_string();
      return false;
    }
    size_t at = 0;
    while (at < bytes->size()) {
      const ssize_t n = ::send(fd_, bytes->data() + at, bytes->size() - at, MSG_NOSIGNAL);
      if (n < 0 && errno == EINTR && !g_interrupted)
        continue;
      if (n <= 0) {
        error_ = std::string("write: ") + std::strerror(errno);
        return false;
      }
      at += static_cast<size_t>(n);
    }
    return true;
  }
  // The next frame; nullopt on EOF, error or interruption (see error(),
  // interrupted()).
  std::optional<Frame> next() {
    // Bounded by the socket: each turn reads bytes or ends.
    for (;;) {
      auto f = decoder_.next();
      if (!f.is_ok()) {
        error_ = "bad reply from the node: " + f.status().to_string();
        return std::nullopt;
      }
      if (f->has_value())
        return std::move(**f);
      uint8_t buf[16384];
      const ssize_t n = ::read(fd_, buf, sizeof buf);
      if (n < 0 && errno == EINTR) {
        if (g_interrupted)
          return std::nullopt;
        continue;
      }
      if (n <= 0) {
        error_ = n == 0 ? "the node closed the connection" : std::strerror(errno);
        return std::nullopt;
      }
      if (auto st = decoder_.feed(std::span<const uint8_t>(buf, static_cast<size_t>(n)));
          !st.is_ok()) {
        error_ = "bad reply from the node: " + st.to_string();
        return std::nullopt;
      }
    }
  }
  // Sends a request and collects its rows; false (with error()) on failure.
  // `code` gets the error code of an Error reply.
  bool call(const std::vector<std::string>& req, std::vector<Frame>& rows, std::string* code) {
    if (!send(req))
      return false;
    for (;;) {
      std::optional<Frame> f = next();
      if (!f)
        return false;
      if (f->kind == FrameKind::kRow) {
        rows.push_back(std::move(*f));
      } else if (f->kind == FrameKind::kOk) {
        return true;
      } else if (f->kind == FrameKind::kError) {
        if (code)
          *code = f->fields[0];
        error_ = f->fields[1];
        return false;
      } else {
        error_ = "unexpected frame from the node";
        return false;
      }
    }
  }
  // Blocks until a signal arrives (true) or the node closes the connection
  // (false).
  bool wait_interrupted() {
    pollfd p{fd_, POLLIN, 0};
    // Ends on a signal or on EOF/error; the node sends nothing unasked.
    while (!g_interrupted) {
      if (::poll(&p, 1, -1) < 0 && errno == EINTR)
        continue;
      char c;
      const ssize_t n = ::read(fd_, &c, 1);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return g_interrupted != 0;
    }
    return true;
  }
  const std::string& error() const { return error_; }

 private:
  int fd_ = -1;
  FrameDecoder decoder_;
  std::string error_;
};

const std::string& field(const Frame& f, size_t i) {
  static const std::string kEmpty;
  return i < f.fields.size() ? f.fields[i] : kEmpty;
}

// JSON object of a service instance row [service, node, endpoint, k, v...].
std::string instance_json(const Frame& r) {
  std::string md;
  for (size_t i = 3; i + 1 < r.fields.size(); i += 2)
    md += (md.empty() ? "" : ",") + json_quote(r.fields[i]) + ":" + json_quote(r.fields[i + 1]);
  return "{\"service\":" + json_quote(field(r, 0)) + ",\"node\":" + json_quote(field(r, 1)) +
         ",\"endpoint\":" + field(r, 2) + ",\"metadata\":{" + md + "}}";
}

std::string instance_text(const Frame& r) {
  std::string line = field(r, 0) + "  " + field(r, 1) + "  endpoint " + field(r, 2);
  for (size_t i = 3; i + 1 < r.fields.size(); i += 2)
    line += "  " + r.fields[i] + "=" + r.fields[i + 1];
  return line;
}

std::string event_json(const Frame& r) {
  const std::string& kind = field(r, 0);
  std::string out = "{\"event\":" + json_quote(kind);
  if (kind == "peer_up" || kind == "peer_down") {
    out += ",\"peer\":" + json_quote(field(r, 1));
    if (kind == "peer_down")
      out += ",\"reason\":" + json_quote(field(r, 2));
  } else {
    out += ",\"service\":" + json_quote(field(r, 1)) + ",\"node\":" + json_quote(field(r, 2));
    if (kind == "service_down")
      out += ",\"reason\":" + json_quote(field(r, 3));
  }
  return out + "}";
}

std::string join_fields(const Frame& r) {
  std::string out;
  for (const std::string& f : r.fields)
    out += (out.empty() ? "" : " ") + f;
  return out;
}

struct Args {
  std::string socket = std::string("data/") + barrel::node::kControlSocketName;
  bool json = false;
  bool persistent = false;
  std::vector<std::string> command;  // COMMAND ARGS... (flags removed)
};

// Streams Records until interrupted or closed.
int stream(Connection& c, bool json, bool events) {
  for (;;) {
    std::optional<Frame> f = c.next();
    if (!f) {
      if (g_interrupted)
        return kExitOk;
      std::cerr << "barrel-ctl: " << c.error() << "\n";
      return kExitFailed;
    }
    if (f->kind != FrameKind::kRecord)
      continue;
    if (events) {
      std::cout << (json ? event_json(*f) : join_fields(*f)) << std::endl;
    } else if (json) {
      std::cout << "{\"from_node\":" << json_quote(field(*f, 0))
                << ",\"from_endpoint\":" << field(*f, 1)
                << ",\"message\":" << json_quote(field(*f, 2)) << "}" << std::endl;
    } else {
      std::cout << field(*f, 0) << "/" << field(*f, 1) << ": " << field(*f, 2) << std::endl;
    }
  }
}

int run(const Args& a) {
  const std::vector<std::string>& cmd = a.command;
  const std::string& name = cmd[0];
  const size_t argc = cmd.size() - 1;
  // Arity checks before connecting: usage errors exit 2.
  const bool ok_arity =
      ((name == "identity" || name == "active-view" || name == "passive-view" || name == "leave" ||
        name == "services" || name == "events") &&
       argc == 0) ||
      ((name == "join" || name == "unregister" || name == "lookup" || name == "whereis") &&
       argc == 1) ||
      (name == "send" && argc == 2) || ((name == "register" || name == "recv") && argc >= 1) ||
      (name == "trust" && ((argc == 1 && cmd[1] == "list") || (argc == 2 && cmd[1] == "delete")));
  if (!ok_arity)
    return usage_error("bad command or arguments: " + join_fields(Frame{FrameKind::kRow, cmd}));
  if (a.persistent && name != "register")
    return usage_error("--persistent applies to register only");

  Connection c;
  if (std::string err = c.open(a.socket); !err.empty()) {
    std::cerr << "barrel-ctl: " << err << "\n";
    return kExitFailed;
  }
  std::vector<Frame> rows;
  const auto fail = [&] {
    std::cerr << "barrel-ctl: " << name << ": " << c.error() << "\n";
    return kExitFailed;
  };

  if (name == "register") {
    std::vector<std::string> req = {"register", cmd[1], a.persistent ? "persistent" : "session"};
    req.insert(req.end(), cmd.begin() + 2, cmd.end());
    if (!c.call(req, rows, nullptr))
      return fail();
    if (a.json) {
      std::cout << "{\"service\":" << json_quote(cmd[1])
                << ",\"endpoint\":" << (rows.empty() ? "0" : field(rows[0], 1))
                << ",\"persistent\":" << (a.persistent ? "true" : "false") << "}" << std::endl;
    } else if (a.persistent) {
      std::cout << "registered " << cmd[1] << " (persistent: until the node stops or "
                << "`barrel-ctl unregister " << cmd[1] << "`)" << std::endl;
    } else {
      std::cout << "registered " << cmd[1] << "; press Ctrl-C to unregister" << std::endl;
    }
    if (!a.persistent && !c.wait_interrupted()) {
      std::cerr << "barrel-ctl: the node closed the connection; " << cmd[1] << " is gone\n";
      return kExitFailed;
    }
    return kExitOk;
  }
  if (name == "recv") {
    std::string code;
    if (!c.call({"recv", cmd[1]}, rows, &code)) {
      if (code != "NotFound")
        return fail();
      std::vector<std::string> req = {"register", cmd[1], "session"};
      req.insert(req.end(), cmd.begin() + 2, cmd.end());
      if (!c.call(req, rows, nullptr) || !c.call({"recv", cmd[1]}, rows, nullptr))
        return fail();
      std::cerr << "registered " << cmd[1] << " for this connection; Ctrl-C to stop" << std::endl;
    }
    return stream(c, a.json, false);
  }
  if (name == "events") {
    if (!c.call({"events"}, rows, nullptr))
      return fail();
    // On stderr, as recv's line: from here on no event is missed, which a
    // script can wait for before it acts.
    std::cerr << "watching events; Ctrl-C to stop" << std::endl;
    return stream(c, a.json, true);
  }

  if (!c.call(cmd, rows, nullptr))
    return fail();
  std::string out;
  if (name == "identity") {
    const Frame& r = rows.at(0);
    out = a.json ? "{\"name\":" + json_quote(field(r, 0)) +
                       ",\"public_key\":" + json_quote(field(r, 1)) +
                       ",\"fingerprint\":" + json_quote(field(r, 2)) + "}\n"
                 : "name: " + field(r, 0) + "\npublic key: " + field(r, 1) +
                       "\nfingerprint: " + field(r, 2) + "\n";
  } else if (name == "active-view" || name == "passive-view") {
    for (const Frame& r : rows)
      out += a.json ? (out.empty() ? "" : ",") + json_quote(field(r, 0)) : field(r, 0) + "\n";
    if (a.json)
      out = "[" + out + "]\n";
  } else if (name == "services") {
    for (const Frame& r : rows) {
      out += a.json ? std::string(out.empty() ? "" : ",") + "{\"name\":" + json_quote(field(r, 0)) +
                          ",\"instances\":" + field(r, 1) + "}"
                    : field(r, 0) + "  (" + field(r, 1) + " instances)\n";
    }
    if (a.json)
      out = "[" + out + "]\n";
  } else if (name == "lookup" || name == "whereis") {
    for (const Frame& r : rows)
      out += a.json ? (out.empty() ? "" : ",") + instance_json(r) : instance_text(r) + "\n";
    if (a.json)
      out = name == "lookup" ? "[" + out + "]\n" : out + "\n";
  } else if (name == "send") {
    const Frame& r = rows.at(0);
    out = a.json ? "{\"node\":" + json_quote(field(r, 0)) + ",\"endpoint\":" + field(r, 1) + "}\n"
                 : "sent to " + field(r, 0) + " endpoint " + field(r, 1) + "\n";
  } else if (name == "trust" && cmd[1] == "list") {
    for (const Frame& r : rows) {
      out += a.json ? std::string(out.empty() ? "" : ",") + "{\"name\":" + json_quote(field(r, 0)) +
                          ",\"fingerprint\":" + json_quote(field(r, 1)) +
                          ",\"public_key\":" + json_quote(field(r, 2)) + "}"
                    : field(r, 0) + "  " + field(r, 1) + "\n";
    }
    if (a.json)
      out = "[" + out + "]\n";
  } else {
    // join, leave, unregister, trust delete: nothing to show but success.
    out = a.json ? "{\"ok\":true}\n" : "ok\n";
  }
  std::cout << out << std::flush;
  return kExitOk;
}

}  // namespace

int main(int argc, char** argv) {
  Args a;
  bool socket_set = false;
  bool data_dir_set = false;
  bool positional_only = false;  // after "--": a MESSAGE may start with '-'
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    const bool before_command = a.command.empty();
    if (positional_only) {
      a.command.emplace_back(arg);
    } else if (arg == "--") {
      positional_only = true;
    } else if (arg == "--json") {
      a.json = true;
    } else if (arg == "--persistent") {
      a.persistent = true;
    } else if (before_command && (arg == "--socket" || arg == "--data-dir")) {
      if (i + 1 >= argc)
        return usage_error(std::string(arg) + " needs a value");
      if (arg == "--socket") {
        a.socket = argv[++i];
        socket_set = true;
      } else {
        a.socket = std::string(argv[++i]) + "/" + barrel::node::kControlSocketName;
        data_dir_set = true;
      }
    } else if (arg == "-h" || arg == "--help") {
      std::cout << kUsage;
      return kExitOk;
    } else if (before_command && arg.size() > 1 && arg[0] == '-') {
      return usage_error("unknown option " + std::string(arg));
    } else {
      a.command.emplace_back(arg);
    }
  }
  if (socket_set && data_dir_set)
    return usage_error("--socket and --data-dir are exclusive");
  if (a.command.empty())
    return usage_error("no command");

  struct sigaction sa {};
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = 0;  // no SA_RESTART: a blocked read returns EINTR
  ::sigaction(SIGINT, &sa, nullptr);
  ::sigaction(SIGTERM, &sa, nullptr);
  ::signal(SIGPIPE, SIG_IGN);
  return run(a);
}
