// expect_parse.cpp — the msgs_per_node_per_second check (form in expect_parse.h).
#include "expect_parse.h"

#include "barrel/assert.h"
#include "churn_parse.h"
#include "duration_parse.h"

namespace barrel::sim {
namespace {

constexpr uint64_t kMsgsMaxPpm = 1000 * kPpmOne;

}  // namespace

Status parse_msgs_check(const YamlReader& reader, const YAML::Node& node, const std::string& path,
                        Expectation* e) {
  BARREL_ASSERT(e != nullptr);
  e->kind = Expectation::Kind::kMsgsPerNode;
  if (node.IsScalar())
    return read_decimal_ppm(reader, node, path, kMsgsMaxPpm, &e->msgs_max_ppm);
  MapReader map;
  BARREL_SIM_TRY(map.open(reader, node, path, kMsgsForm, {"max", "since"}));
  YAML::Node value;
  BARREL_SIM_TRY(map.require("max", "Y", &value));
  BARREL_SIM_TRY(
      read_decimal_ppm(reader, value, map.path_of("max"), kMsgsMaxPpm, &e->msgs_max_ppm));
  if (!map.has("since"))
    return Status::ok();
  const YAML::Node& since = map.get("since");
  BARREL_SIM_TRY(reader.read_duration(since, map.path_of("since"), Duration::zero(), &e->since));
  if (e->since >= e->at) {
    return reader.error(since,
                        map.path_of("since") + " is " + since.Scalar() + ", not before at " +
                            format_duration(e->at),
                        "an instant before the check's at");
  }
  return Status::ok();
}

}  // namespace barrel::sim
