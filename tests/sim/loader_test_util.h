// loader_test_util.h — helpers shared by the scenario-loader tests.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <utility>

#include "barrel/sim/scenario_loader.h"

namespace barrel::sim::test {

// The error message of a document that must not load (as "t.yaml").
inline std::string error_of(const std::string& yaml) {
  Result<Scenario> r = parse_scenario(yaml, "t.yaml");
  EXPECT_FALSE(r.is_ok()) << yaml;
  if (r.is_ok())
    return "";
  EXPECT_EQ(r.status().code(), Code::kParse);
  return std::string(r.status().message());
}

// A document that must load (as "t.yaml"); an empty Scenario if it does not.
inline Scenario load(const std::string& yaml) {
  Result<Scenario> r = parse_scenario(yaml, "t.yaml");
  EXPECT_TRUE(r.is_ok()) << r.status().to_string();
  return r.is_ok() ? std::move(r).value() : Scenario{};
}

// A valid document to which each test appends or changes one thing.
inline const std::string kHead =
    "duration: 60s\n"        // line 1
    "nodes: {count: 10}\n";  // line 2

}  // namespace barrel::sim::test
