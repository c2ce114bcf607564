// run_observers.cpp — --trace, --watch and --trace-dump (see run_observers.h).
#include "run_observers.h"

#include <cerrno>
#include <cstring>

namespace barrel::tools {

RunObservers::~RunObservers() {
  if (file_ != nullptr)
    std::fclose(file_);
}

std::string RunObservers::open(const Args& args, const barrel::sim::Scenario& scenario) {
  if (!args.watch_node.empty()) {
    if (std::string why = barrel::sim::NodeWatch::check(scenario, args.watch_node); !why.empty())
      return why;
    watch_.emplace(args.watch_node, stdout);
  }
  if (!args.trace_path.empty()) {
    path_ = expand_seed(args.trace_path, scenario.seed);
    file_ = std::fopen(path_.c_str(), "wb");
    if (file_ == nullptr)
      return path_ + ": cannot open: " + std::strerror(errno);
    log_.emplace(file_, args.trace_max != 0 ? args.trace_max : barrel::sim::kTraceBytesMaxDefault);
  }
  return "";
}

void RunObservers::attach(barrel::sim::RunOptions* options) {
  if (log_.has_value())
    options->observers.push_back(&*log_);
  if (watch_.has_value())
    options->observers.push_back(&*watch_);
}

bool RunObservers::close(bool quiet, std::string* out) {
  if (file_ == nullptr)
    return true;
  bool ok = !log_->write_failed();
  ok = (std::fclose(file_) == 0) && ok;
  file_ = nullptr;
  if (!ok) {
    *out += "trace: " + path_ + ": cannot write the trace\n";
    return false;
  }
  if (!quiet) {
    *out += "trace: wrote " + path_ + " (" + std::to_string(log_->events_written()) + " events, " +
            std::to_string(log_->bytes_written()) + " bytes)\n";
  }
  if (log_->truncated())
    *out += "trace: " + path_ + ": " + log_->note() + "\n";
  return true;
}

int dump_trace_file(const Args& args) {
  std::FILE* in = std::fopen(args.trace_dump_path.c_str(), "rb");
  if (in == nullptr) {
    std::fprintf(stderr, "%s: cannot open: %s\n", args.trace_dump_path.c_str(),
                 std::strerror(errno));
    return 2;
  }
  const barrel::Status s = barrel::sim::dump_trace(in, stdout, args.watch_node);
  std::fclose(in);
  if (!s.is_ok()) {
    std::fprintf(stderr, "%s: %s\n", args.trace_dump_path.c_str(), s.to_string().c_str());
    return 2;
  }
  return 0;
}

}  // namespace barrel::tools
