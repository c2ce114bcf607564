// shrink.cpp — barrel-sim --shrink: a failing run's fault schedule made
// minimal (method and bounds in shrink.h). yaml-cpp reports errors by
// exceptions; they are caught here, at the edge, and become exit status 2.
#include "shrink.h"

#include <yaml-cpp/yaml.h>

#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "barrel/sim/report_text.h"
#include "barrel/sim/scenario_loader.h"
#include "barrel/sim/simulator.h"

namespace barrel::tools {
namespace {

using barrel::sim::RunReport;
using Clock = std::chrono::steady_clock;

// Timeline actions that are faults, which the shrink may drop. "churn" is
// listed for the scenario language's churn steps.
constexpr const char* kFaultKeys[] = {"crash", "leave", "restart", "partition", "churn"};

std::string fault_key(const YAML::Node& entry) {
  if (!entry.IsMap())
    return "";
  for (const char* key : kFaultKeys) {
    if (entry[key])
      return key;
  }
  return "";
}

// What failed: the first failed expectation, else the run's failure up to
// its first " at " (the kind of failure, without where and when).
struct Target {
  int expectation = -1;
  std::string failure;
};

Target target_of(const RunReport& r) {
  Target t;
  if (!r.failure.empty()) {
    t.failure = r.failure.substr(0, r.failure.find(" at "));
    return t;
  }
  for (size_t k = 0; k < r.expectations.size(); ++k) {
    if (!r.expectations[k].passed) {
      t.expectation = static_cast<int>(k);
      break;
    }
  }
  return t;
}

bool matches(const RunReport& r, const Target& t) {
  if (t.expectation < 0)
    return !r.failure.empty() && r.failure.substr(0, r.failure.find(" at ")) == t.failure;
  const auto k = static_cast<size_t>(t.expectation);
  return r.failure.empty() && k < r.expectations.size() && !r.expectations[k].passed;
}

// A fraction as scenarios write it ("20%", "0.2") in ppm; false if not one.
bool ppm_of(std::string text, uint64_t* out) {
  const bool percent = !text.empty() && text.back() == '%';
  if (percent)
    text.pop_back();
  const size_t dot = text.find('.');
  const std::string whole = text.substr(0, dot);
  std::string frac = dot == std::string::npos ? "" : text.substr(dot + 1);
  if (whole.empty() || whole.size() > 4 || frac.size() > 8)
    return false;
  frac.resize(8, '0');
  uint64_t v = 0;  // the value times 10^8
  for (char c : whole + frac) {
    if (c < '0' || c > '9')
      return false;
    v = v * 10 + static_cast<uint64_t>(c - '0');
  }
  *out = percent ? v / 10'000 : v / 100;
  return true;
}

std::string ppm_text(uint64_t ppm) {
  std::string frac = std::to_string(1'000'000 + ppm % 1'000'000).substr(1);
  while (!frac.empty() && frac.back() == '0')
    frac.pop_back();
  return std::to_string(ppm / 1'000'000) + (frac.empty() ? "" : "." + frac);
}

// Halves the selector parent[key] once; false when it cannot be halved.
bool halve_selector(YAML::Node parent, const std::string& key) {
  YAML::Node sel = parent[key];
  if (sel.IsSequence()) {  // a list of names: its first half
    if (sel.size() < 2)
      return false;
    YAML::Node half(YAML::NodeType::Sequence);
    for (size_t k = 0; k < sel.size() / 2; ++k)
      half.push_back(sel[k]);
    parent[key] = half;
    return true;
  }
  if (!sel.IsMap())
    return false;  // a name or all
  if (sel["count"]) {
    const auto n = sel["count"].as<uint64_t>();
    if (n < 2)
      return false;
    sel["count"] = n / 2;
    return true;
  }
  if (sel["fraction"]) {
    uint64_t ppm = 0;
    if (!ppm_of(sel["fraction"].as<std::string>(), &ppm) || ppm < 2)
      return false;
    sel["fraction"] = ppm_text(ppm / 2);
    return true;
  }
  if (sel["range"] && sel["range"].IsSequence() && sel["range"].size() == 2) {
    const auto a = sel["range"][0].as<uint64_t>();
    const auto b = sel["range"][1].as<uint64_t>();
    if (b <= a)
      return false;
    sel["range"][1] = a + (b - a + 1) / 2 - 1;
    return true;
  }
  return false;
}

bool halve_entry(YAML::Node entry, const std::string& key) {
  if (key == "crash" || key == "leave")
    return halve_selector(entry, key);
  if (key == "restart" && entry[key].IsMap() && entry[key]["nodes"])
    return halve_selector(entry[key], "nodes");
  return false;  // partition groups and churn rates stay as written
}

// Which timeline entries are kept, and how often each was halved.
struct Schedule {
  std::vector<bool> kept;
  std::vector<uint32_t> halvings;
};

class Search {
 public:
  Search(const YAML::Node& root, const barrel::sim::Scenario& scenario, const Args& args)
      : root_(root),
        timeline_(root["timeline"]),
        seed_(scenario.seed),
        name_(scenario.name),
        args_(args),
        runs_max_(args.shrink_runs != 0 ? args.shrink_runs : kShrinkRunsDefault),
        deadline_(Clock::now() + std::chrono::seconds(args.shrink_seconds != 0
                                                          ? args.shrink_seconds
                                                          : kShrinkSecondsDefault)) {}

  size_t steps() const { return timeline_ ? timeline_.size() : 0; }
  YAML::Node entry(size_t i) const { return timeline_[i]; }

  // The scenario `s` describes, as YAML; false if a halving no longer applies.
  bool build(const Schedule& s, std::string* text) const {
    YAML::Node root = YAML::Clone(root_);
    if (timeline_) {
      YAML::Node seq(YAML::NodeType::Sequence);
      for (size_t i = 0; i < steps(); ++i) {
        if (!s.kept[i])
          continue;
        YAML::Node e = YAML::Clone(timeline_[i]);
        for (uint32_t h = 0; h < s.halvings[i]; ++h) {
          if (!halve_entry(e, fault_key(e)))
            return false;
        }
        seq.push_back(e);
      }
      root["timeline"] = seq;
    }
    root["seed"] = seed_;
    root["name"] = name_;  // else it would follow OUT's file name
    YAML::Emitter out;
    out << root;
    *text = std::string(out.c_str()) + "\n";
    return out.good();
  }

  // Runs `s`; true when it fails as the target. False too when a bound is
  // reached (then stopped() is true) or the candidate does not load.
  bool fails_alike(const Schedule& s, const Target& target) {
    std::string text;
    if (runs_ >= runs_max_ || Clock::now() >= deadline_) {
      stopped_ = true;
      return false;
    }
    if (!build(s, &text))
      return false;
    barrel::Result<barrel::sim::Scenario> loaded =
        barrel::sim::parse_scenario(text, args_.shrink_path);
    if (!loaded.is_ok())
      return false;
    runs_ += 1;
    barrel::sim::RunOptions options;
    options.node_summaries_max = 0;
    RunReport report = barrel::sim::run_scenario(*loaded, options);
    if (!matches(report, target))
      return false;
    last_ = std::move(report);
    has_last_ = true;
    return true;
  }

  uint32_t runs() const { return runs_; }
  bool stopped() const { return stopped_; }
  // The report of the last candidate kept, if any.
  bool has_last() const { return has_last_; }
  const RunReport& last() const { return last_; }

 private:
  const YAML::Node root_;
  const YAML::Node timeline_;
  const uint64_t seed_;
  const std::string name_;
  const Args& args_;
  const uint32_t runs_max_;
  const Clock::time_point deadline_;
  uint32_t runs_ = 0;
  bool stopped_ = false;
  bool has_last_ = false;
  RunReport last_;
};

// "step 3 (FILE:LINE) {at: 10s, crash: {count: 4}}": timeline entry `i` of
// the scenario, halved `halvings` times.
std::string describe(const Search& search, size_t i, uint32_t halvings, const std::string& path) {
  YAML::Node entry = YAML::Clone(search.entry(i));
  for (uint32_t h = 0; h < halvings; ++h)
    halve_entry(entry, fault_key(entry));
  YAML::Emitter e;
  e << YAML::Flow << entry;
  return "step " + std::to_string(i + 1) + " (" + path + ":" +
         std::to_string(search.entry(i).Mark().line + 1) + ") " + e.c_str();
}

// One pass of drops (last step first) then halvings; true if anything changed.
bool shrink_pass(Search& search, const Target& target, Schedule* s, const std::string& path) {
  bool changed = false;
  for (size_t i = search.steps(); i-- > 0 && !search.stopped();) {
    const std::string key = fault_key(search.entry(i));
    if (!s->kept[i] || key.empty())
      continue;
    Schedule next = *s;
    next.kept[i] = false;
    std::string heals;  // the heal steps of a dropped partition go with it
    if (key == "partition" && search.entry(i)["partition"]["name"]) {
      const auto name = search.entry(i)["partition"]["name"].as<std::string>();
      for (size_t j = 0; j < search.steps(); ++j) {
        const YAML::Node heal = search.entry(j)["heal"];
        if (next.kept[j] && heal && heal.IsScalar() && heal.Scalar() == name) {
          next.kept[j] = false;
          heals += " and step " + std::to_string(j + 1) + " (its heal)";
        }
      }
    }
    if (search.fails_alike(next, target)) {
      *s = next;
      changed = true;
      std::printf("shrink: dropped %s%s\n", describe(search, i, s->halvings[i], path).c_str(),
                  heals.c_str());
    }
  }
  for (size_t i = 0; i < search.steps() && !search.stopped(); ++i) {
    if (!s->kept[i] || fault_key(search.entry(i)).empty())
      continue;
    // Bounded: each accepted halving at least halves a finite count.
    for (uint32_t h = 0; h < 64 && !search.stopped(); ++h) {
      Schedule next = *s;
      next.halvings[i] += 1;
      if (!search.fails_alike(next, target))
        break;
      *s = next;
      changed = true;
      std::printf("shrink: halved to %s\n", describe(search, i, next.halvings[i], path).c_str());
    }
  }
  std::fflush(stdout);
  return changed;
}

}  // namespace

int run_shrink(const barrel::sim::Scenario& scenario, const Args& args) {
  try {
    const YAML::Node root = YAML::LoadFile(args.scenario_path);
    Search search(root, scenario, args);
    Schedule s{std::vector<bool>(search.steps(), true), std::vector<uint32_t>(search.steps(), 0)};
    // The baseline, through the same YAML round trip as every candidate.
    std::string text;
    if (!search.build(s, &text))
      return 2;
    barrel::Result<barrel::sim::Scenario> base =
        barrel::sim::parse_scenario(text, args.scenario_path);
    if (!base.is_ok()) {
      std::fprintf(stderr, "shrink: %s\n", std::string(base.status().message()).c_str());
      return 2;
    }
    barrel::sim::RunOptions options;
    options.node_summaries_max = 0;
    const RunReport first = barrel::sim::run_scenario(*base, options);
    if (first.passed()) {
      std::printf("shrink: seed %llu passes: nothing to shrink\n",
                  static_cast<unsigned long long>(scenario.seed));
      return 0;
    }
    const Target target = target_of(first);
    std::printf("shrink: seed %llu fails (%s); shrinking its fault steps, same seed\n",
                static_cast<unsigned long long>(scenario.seed),
                target.expectation >= 0
                    ? ("expectation " + std::to_string(target.expectation + 1)).c_str()
                    : target.failure.c_str());
    // Bounded by the run budget: every pass that changes something costs runs.
    while (!search.stopped() && shrink_pass(search, target, &s, args.scenario_path)) {
    }
    if (!search.build(s, &text))
      return 2;
    std::FILE* out = std::fopen(args.shrink_path.c_str(), "w");
    const bool written = out != nullptr &&
                         std::fwrite(text.data(), 1, text.size(), out) == text.size() &&
                         std::fclose(out) == 0;
    std::printf("shrink: %u runs%s\n--- %s\n%s---\n", search.runs() + 1,
                search.stopped() ? " (stopped at the bound: --shrink-runs / --shrink-time)" : "",
                args.shrink_path.c_str(), text.c_str());
    std::fputs(barrel::sim::format_failures(search.has_last() ? search.last() : first).c_str(),
               stdout);
    if (!written) {
      std::fprintf(stderr, "%s: cannot write the shrunk scenario\n", args.shrink_path.c_str());
      return 2;
    }
    std::printf("reproduce: %s\n", replay_command(args.shrink_path, scenario.seed).c_str());
    return 1;
  } catch (const YAML::Exception& e) {
    std::fprintf(stderr, "shrink: %s: %s\n", args.scenario_path.c_str(), e.what());
    return 2;
  }
}

}  // namespace barrel::tools
