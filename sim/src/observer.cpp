// observer.cpp — names of the observed event kinds (observer.h).
#include "barrel/sim/observer.h"

namespace barrel::sim {

std::string_view to_string(ObservedKind kind) {
  switch (kind) {
    case ObservedKind::kDeliver:
      return "deliver";
    case ObservedKind::kTimer:
      return "timer";
    case ObservedKind::kLinkDown:
      return "link_down";
    case ObservedKind::kLinkFailed:
      return "link_failed";
    case ObservedKind::kStep:
      return "step";
    case ObservedKind::kProbe:
      return "probe";
    case ObservedKind::kExpect:
      return "expect";
    case ObservedKind::kJoin:
      return "join";
    case ObservedKind::kWindow:
      return "window";
    case ObservedKind::kRegistrySample:
      return "registry_sample";
    case ObservedKind::kStepNode:
      return "step_node";
    case ObservedKind::kChurnArrival:
      return "churn_arrival";
    case ObservedKind::kChurnDeparture:
      return "churn_departure";
    case ObservedKind::kMark:
      return "mark";
  }
  return "";
}

}  // namespace barrel::sim
