// replay.cpp — replay() of replay.h.
#include "barrel/sim/replay.h"

#include <algorithm>
#include <vector>

#include "barrel/effect.h"
#include "barrel/ids.h"
#include "barrel/node.h"
#include "barrel/record.h"

namespace barrel::sim {

namespace {

// Bounds the replay's table whatever the recording claims (it does not
// allocate up front, but a recorded 0 would refuse every name).
constexpr uint64_t kReplayNamesMax = uint64_t{1} << 24;

Status out_of_order(std::string_view what, size_t offset) {
  return Status(Code::kMalformed, std::string(what) + " at byte " + std::to_string(offset));
}

}  // namespace

Result<ReplayReport> replay(std::span<const uint8_t> bytes) {
  record::Reader reader(bytes);
  NameTable scratch(1);  // CREATE names nothing
  Result<std::optional<record::Record>> first = reader.next(scratch);
  if (!first.is_ok())
    return first.status();
  if (!first->has_value())
    return Status(Code::kTruncated, "the recording has no CREATE record at byte 6");
  const record::Create& create = std::get<record::Create>(**first);

  NameTable names(static_cast<size_t>(std::clamp<uint64_t>(create.names_max, 1, kReplayNamesMax)));
  Result<NodeId> self = names.intern(create.self);
  if (!self.is_ok())
    return Status(Code::kBadName, "recorded node name: " + self.status().to_string());
  Result<std::unique_ptr<Node>> made =
      Node::create(create.config, names, *self, create.seed, create.now, create.boot_wall_us);
  if (!made.is_ok())
    return Status(made.status().code(),
                  "the recorded node cannot be created: " + std::string(made.status().message()));
  Node& node = **made;

  ReplayReport report;
  report.self = create.self;
  std::optional<record::Input> pending;  // an input whose EFFECTS record comes next
  std::vector<Effect> actual;
  // Bounded: each turn consumes one record (at least 5 bytes of `bytes`).
  for (size_t turn = 0; turn <= bytes.size(); ++turn) {
    const size_t at = reader.offset();
    Result<std::optional<record::Record>> rec = reader.next(names);
    if (!rec.is_ok())
      return rec.status();
    if (!rec->has_value())
      break;
    if (auto* in = std::get_if<record::Input>(&**rec)) {
      if (pending)
        return out_of_order("an INPUT record where EFFECTS was expected", at);
      // The Node's answer is not recorded: its effects say what it did.
      record::apply(node, *in).ignore();
      report.inputs += 1;
      pending = std::move(*in);
      continue;
    }
    auto* expected = std::get_if<std::vector<Effect>>(&**rec);
    if (expected == nullptr)
      return out_of_order("a second CREATE record", at);
    if (!pending)
      return out_of_order("an EFFECTS record with no INPUT before it", at);
    actual.clear();
    node.drain_effects(&actual);
    const size_t n = std::max(expected->size(), actual.size());
    for (size_t i = 0; i < n; ++i) {
      const Effect* want = i < expected->size() ? &(*expected)[i] : nullptr;
      const Effect* got = i < actual.size() ? &actual[i] : nullptr;
      if (want != nullptr && got != nullptr && *want == *got) {
        report.effects += 1;
        continue;
      }
      ReplayDivergence d;
      d.input_index = report.inputs - 1;
      d.at = pending->now;
      d.input = record::describe(*pending, names);
      d.effect_index = i;
      d.expected = want != nullptr ? record::describe(*want, names) : "(none)";
      d.actual = got != nullptr ? record::describe(*got, names) : "(none)";
      report.divergence = std::move(d);
      return report;
    }
    pending.reset();
  }
  report.last_input_unchecked = pending.has_value();
  return report;
}

std::string to_text(const ReplayReport& r) {
  std::string out = "replay of " + r.self + ": " + std::to_string(r.inputs) + " inputs, " +
                    std::to_string(r.effects) + " effects matched\n";
  if (r.last_input_unchecked)
    out += "note: the recording ends inside the last input (its effects were not recorded)\n";
  if (!r.divergence) {
    out += "result: no divergence\n";
    return out;
  }
  const ReplayDivergence& d = *r.divergence;
  out += "result: DIVERGENCE at input " + std::to_string(d.input_index) +
         " (t = " + std::to_string(d.at.us()) + " us): " + d.input + "\n";
  out += "  effect " + std::to_string(d.effect_index) + "\n";
  out += "  recorded: " + d.expected + "\n";
  out += "  replayed: " + d.actual + "\n";
  return out;
}

}  // namespace barrel::sim
