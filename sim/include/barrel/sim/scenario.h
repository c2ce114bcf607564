// scenario.h — a simulation scenario, as loaded from YAML.
//
// This struct is the contract between the scenario loader (which turns a
// YAML file into a Scenario, or a Status naming file:line:column) and the
// simulator (which runs a Scenario and returns a RunReport). Every field has
// a default, so a scenario states only what matters to it.
//
// Times are virtual: Instant 0 is the start of the run.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "barrel/config.h"
#include "barrel/rng.h"
#include "barrel/service.h"
#include "barrel/time.h"

namespace barrel::sim {

// Where a construct was written, for messages ("file:line:column").
struct SourceLoc {
  std::string file;
  int line = 0;    // 1-based; 0 = unknown
  int column = 0;  // 1-based; 0 = unknown
};

// One-way latency of a link (network.h: one draw per link, stable for the
// run). Every kind is bounded: a draw outside [min, max] is clamped to it.
// The loader fills default bounds for kNormal and kLognormal when the
// scenario gives none (latency_model.h); a Scenario built in code states them.
struct LatencyModel {
  enum class Kind { kConstant, kUniform, kNormal, kLognormal };
  Kind kind = Kind::kConstant;
  Duration min = Duration::millis(10);  // kConstant uses min only
  Duration max = Duration::millis(10);
  // kNormal: the mean; kLognormal: the median (e^mu).
  Duration center = Duration::zero();
  Duration stddev = Duration::zero();  // kNormal
  uint32_t sigma_ppm = 0;              // kLognormal: sigma in millionths (1'000'000 = 1.0)
};

// A latency for the links between the nodes of `from` and those of `to`
// (either direction). Defined after NodeSelector.
struct LinkOverride;
// At most this many `links` overrides (each node keeps one bit per side).
inline constexpr size_t kLinkOverridesMax = 16;

// Per-node clocks (clock_drift.h): node i's local clock reads
// offset_i + t * (1 + drift_i / 10^6) at virtual instant t, with drift_i
// drawn uniformly in [drift_ppm_min, drift_ppm_max] and offset_i in
// [offset_min, offset_max]. All zero (the default): every node reads the
// virtual time.
struct ClockModel {
  int32_t drift_ppm_min = 0;
  int32_t drift_ppm_max = 0;
  Duration offset_min = Duration::zero();
  Duration offset_max = Duration::zero();
  bool enabled() const {
    return drift_ppm_min != 0 || drift_ppm_max != 0 || offset_min != Duration::zero() ||
           offset_max != Duration::zero();
  }
};
// |drift| at most 10%: real clocks drift by tens of ppm; more is a typo.
inline constexpr int32_t kClockDriftPpmMax = 100'000;

struct NetworkSpec {
  LatencyModel latency;
  // QUIC-like failure detection: a connection attempt to a crashed or
  // unreachable node fails this long after it starts (handshake timeout);
  // an established connection to a node that crashes is reported down this
  // long after the crash (idle timeout).
  Duration detection_delay = Duration::seconds(2);
  // Wire mode: every message is encoded and decoded by the codec on its way,
  // and the encoded size is accounted.
  bool wire_mode = false;
  // Packet loss, in [0, kPpmOne): the probability that a message's packet is
  // lost on its way. Messages travel on a QUIC stream, which retransmits, so
  // a loss never loses a message: it delays it (and, stream order being kept,
  // the messages sent after it on the same link) by a retransmission round
  // (network.h). 0 = no loss (and no draw from the loss Rng).
  Ppm loss_ppm = 0;
  // --- beyond QUIC (network.h): robustness faults a buggy host or a datagram
  // transport could cause. 0 = off (and no draw from their Rngs).
  // A message is delivered a second time with this probability.
  Ppm duplicate_ppm = 0;
  // A message is held back by an extra delay, uniform in [0, reorder_delay],
  // with this probability, so later messages on its link may overtake it.
  Ppm reorder_ppm = 0;
  Duration reorder_delay = Duration::zero();  // 0 = twice the link's latency (at least 1 ms)
  // Up-link bandwidth of every node in bytes per second (0 = unlimited):
  // a node's messages leave one after the other (network.h).
  uint64_t bandwidth_bytes_per_s = 0;
  // Per-link-class latencies: the first override whose sides hold the two
  // ends of a link gives its latency; else `latency`.
  std::vector<LinkOverride> links = {};
  ClockModel clock = {};
};

// Which nodes an action applies to. Exactly one form is used.
struct NodeSelector {
  enum class Kind {
    kAll,       // every node of the scenario (for crash: every live one)
    kNames,     // explicit node names (`names`)
    kRange,     // nodes first..last by 1-based index, inclusive
    kCount,     // `count` nodes drawn at random among the eligible ones
    kFraction,  // fraction_ppm of the eligible nodes, drawn at random (rounded down)
    kGroup,     // every node of the group named `group` (see NodeGroup)
  };
  Kind kind = Kind::kAll;
  std::vector<std::string> names;
  uint32_t first = 0, last = 0;
  uint32_t count = 0;
  Ppm fraction_ppm = 0;
  // With kGroup: the group. With kCount or kFraction and non-empty: the draw
  // is among the eligible nodes of this group only (e.g. crash a fraction of
  // a group). Empty otherwise.
  std::string group = {};
};

// A named set of nodes (top-level `groups:`), resolved once when the run is
// set up, in the order written. `members` is an explicit selector (names,
// range, all, another group) or a random one (count, fraction), drawn among
// the nodes that no earlier group holds with the groups Rng (seed, kFaults,
// 3), so random groups are disjoint (a draw within a named group draws among
// its members instead); `rest` holds the nodes no earlier group holds.
struct NodeGroup {
  std::string name;
  NodeSelector members;
  bool rest = false;  // the nodes in no earlier group (members unused)
  SourceLoc loc;
};

// Most groups a scenario may name.
inline constexpr size_t kGroupsMax = 256;

struct LinkOverride {
  NodeSelector from = {};
  NodeSelector to = {};
  LatencyModel latency = {};
  SourceLoc loc = {};
};

// Start the selected nodes (create their Node, at the given instant). A node
// that was never started does not exist yet; starting a live node is an error
// at run time (reported, the run fails).
struct StartAction {
  NodeSelector nodes;
};

// The selected nodes join. Each one picks one contact uniformly among
// `contacts` (node names; a node never picks itself), and calls join() at an
// instant drawn uniformly in [at, at + spread). Nodes not yet started are
// started first.
struct JoinAction {
  NodeSelector nodes;
  std::vector<std::string> contacts;
  Duration spread = Duration::zero();
};

// The selected live nodes crash at once: their state is lost, their links
// are reported down at their peers after the detection delay.
struct CrashAction {
  NodeSelector nodes;
};

// The selected live nodes call leave().
struct LeaveAction {
  NodeSelector nodes;
};

// Each selected live member broadcasts one payload of `bytes` bytes (content
// drawn from the workload Rng). `bytes` is at most
// limits::kBroadcastPayloadBytesMax (the loader checks it).
struct BroadcastAction {
  NodeSelector from;
  uint32_t bytes = 0;
};

// Cut the network into groups: a node of one group cannot reach a node of
// another (QUIC semantics in network.h: messages across are dropped, links
// across go down after the detection delay). `groups` are resolved in order;
// a random selector draws among the nodes no earlier group took; nodes in no
// group form one more, implicit group. Several partitions may be in effect
// at once: two nodes reach each other when no partition in effect separates
// them. `name` (optional) is what a HealAction names.
//
// One-way cut (one_way; groups is then empty): nodes of `from` cannot reach
// nodes of `to`, the reverse direction still carries packets. A connection
// needs both directions, so QUIC-wise every link across fails or goes down
// as for a cut; messages from -> to are dropped at arrival, messages
// to -> from are delivered (network.h, partitions.h). `to` draws among the
// nodes `from` did not take.
struct PartitionAction {
  std::string name;
  std::vector<NodeSelector> groups;  // 1..kPartitionGroupsMax, never kAll
  bool one_way = false;
  NodeSelector from = {};  // one_way only
  NodeSelector to = {};    // one_way only
};

// End the partition named `name` (empty: every partition in effect). Healing
// a partition that is not in effect changes nothing.
struct HealAction {
  std::string name;
};

// The selected live nodes crash now, and each starts again (a new
// incarnation, created at the restart instant) `after` later and joins
// through one of `contacts`, picked as for JoinAction.
//
// Identity (`identity: keep | new`). A node's identity is its name (and, in
// the transport, the key pair persisted with it). kKeep: the machine comes
// back with its persisted identity, so the same name boots a new incarnation
// with wiped memory (it refutes claims about its previous incarnation). kNew:
// its persisted identity is lost, so it comes back as a stranger: a node
// never started before (the lowest such index) boots under its own name and
// joins, while the old name stays dead forever, until the liveness protocol
// declares it dead and its registrations go. A restart with no never-started
// node left fails the run.
struct RestartAction {
  enum class Identity { kKeep, kNew };
  NodeSelector nodes;
  Duration after = Duration::zero();
  std::vector<std::string> contacts;
  Identity identity = Identity::kKeep;
};

// Each selected live member registers `count` services: the k-th (1..count)
// is named by `service` with "{i}" replaced by the node's 1-based index and
// "{k}" by k, for the local endpoint k, with `metadata`. A registration the
// node refuses (kAlreadyExists, kLimitExceeded) is counted in the report,
// not a failure of the run: a scenario may register again after restarts.
struct RegisterAction {
  NodeSelector nodes;
  std::string service;  // pattern; the loader bounds its expansion
  uint32_t count = 1;   // 1..limits::kLocalServicesMax
  Metadata metadata;
};

// Each selected live member unregisters the `count` services named as for
// RegisterAction (a name the node does not have is counted, not a failure).
struct UnregisterAction {
  NodeSelector nodes;
  std::string service;
  uint32_t count = 1;
};

// A session-length distribution (ChurnAction). Every draw is rounded to
// integer microseconds at once and bounded: at least 1 us, at most
// kSessionMax (exponential and lognormal tails are cut there).
struct SessionModel {
  enum class Kind { kConstant, kExponential, kUniform, kLognormal };
  Kind kind = Kind::kConstant;
  Duration mean = Duration::seconds(60);  // kConstant: the length; kExponential: the mean;
                                          // kLognormal: the median (e^mu)
  Duration min = Duration::zero(), max = Duration::zero();  // kUniform: [min, max]
  Ppm sigma_ppm = 0;  // kLognormal: sigma in millionths (e.g. 500000 = 0.5)
};

inline constexpr Duration kSessionMax = Duration::seconds(30 * 24 * 3600);

// Churn (see churn.h for the exact model): from the step's instant until
// `until`, arrivals form a Poisson process of rate arrivals_per_second
// (stored in millionths); each arrival takes a node of the pool `nodes`
// that is not a member (drawn uniformly; an arrival finding none is counted
// as `pool_empty` and lost), starts it (a new incarnation if it ran before),
// and joins it through a contact picked as for JoinAction; it then lives a
// session drawn from `session`, and departs by crashing or leaving. At most
// kChurnArrivalsMax arrivals per churn step (more are counted as capped).
struct ChurnAction {
  enum class Departure { kCrash, kLeave };
  NodeSelector nodes;
  uint64_t arrivals_per_second_ppm = 0;  // (0, 1000] arrivals per second, in millionths
  SessionModel session;
  Duration until = Duration::zero();  // last arrival instant (inclusive)
  std::vector<std::string> contacts;
  Departure departure = Departure::kCrash;
};

inline constexpr uint64_t kChurnArrivalsMax = 1'000'000;

// Each selected live member looks up `count` service names, the n-th being
// `service` with "{i}" replaced by a node index drawn uniformly in
// 1..node_count and "{k}" by n: it calls lookup(name) and whereis(name), and
// the answers are judged against the registry truth at that instant
// (LookupReport in simulator.h).
struct LookupAction {
  NodeSelector from;
  std::string service;
  uint32_t count = 1;
};

using Action = std::variant<StartAction, JoinAction, CrashAction, LeaveAction, BroadcastAction,
                            PartitionAction, HealAction, RestartAction, RegisterAction,
                            UnregisterAction, ChurnAction, LookupAction>;

// Groups of one partition (each a selector), and partitions in effect at once.
inline constexpr size_t kPartitionGroupsMax = 64;
inline constexpr size_t kPartitionsActiveMax = 8;

struct Step {
  Duration at = Duration::zero();
  // Repeat every `every` until `until` (inclusive) when every > 0.
  Duration every = Duration::zero();
  Duration until = Duration::zero();
  // `between: [at, between_end]` when between_end > at: each selected node's
  // action happens at its own instant drawn uniformly in [at, between_end)
  // from the between Rng (seed, kFaults, 1). The selection is made at `at`.
  Duration between_end = Duration::zero();
  Action action;
  SourceLoc loc;
};

// A property checked at an instant. A failed expectation fails the run.
struct Expectation {
  enum class Kind {
    kConnected,          // the live nodes' active views form one connected component
    kSymmetric,          // once quiet: every link one-way at `at` is two-way or gone by at + settle
    kViewBounds,         // every live node: |active| <= active_size, |passive| <= passive_size
    kHealedWithin,       // after each crash, restart or heal step, healed again within `within`
    kActiveMin,          // every live node has at least `count` active members
    kReliability,        // every broadcast sent in [since, at - settle] reached >= reliability_ppm
                         // of the nodes that were live members both at its send and at `at`
    kRegistryConverged,  // every live member's lookup() of every service equals the truth
                         // (the registrations of live incarnations); with `within` > 0,
                         // agreement was also reached within `within` of the last change
    kNoLiveDead,         // no live member holds a suspect or dead record of another live
                         // member at an incarnation >= that member's current one
    kMsgsPerNode,        // messages sent in [since, at], divided by the integral of the live
                         // node count over [since, at] in seconds, is <= msgs_max_ppm / 10^6
  };
  Duration at = Duration::zero();
  Kind kind = Kind::kConnected;
  Duration within = Duration::zero();  // kHealedWithin; kRegistryConverged (0 = unchecked)
  uint32_t count = 0;                  // kActiveMin
  // kSymmetric: how long a link found one-way (or naming a dead node) at `at`
  // may take to become two-way or disappear. A handshake in flight shows as a
  // one-way link for up to a round trip; a link still one-way after the
  // window is a bug. Zero = 4 x the latency bound + the detection delay.
  //
  // kReliability: a broadcast sent less than `settle` before `at` is still in
  // flight and not judged. Zero = kReliabilitySettleDefault.
  Duration settle = Duration::zero();
  Ppm reliability_ppm = 0;            // kReliability: required fraction, in (0, 1e6]
  Duration since = Duration::zero();  // kReliability: first send instant judged; kMsgsPerNode
  uint64_t msgs_max_ppm = 0;          // kMsgsPerNode: the bound Y, in millionths
  SourceLoc loc;
};

inline constexpr Duration kReliabilitySettleDefault = Duration::seconds(5);

// A named interval of the run over which broadcast metrics are aggregated
// (broadcasts sent in [from, to)); the overlay diameter is measured at `to`.
struct ReportWindow {
  std::string name;
  Duration from = Duration::zero();
  Duration to = Duration::zero();
  SourceLoc loc;
};

struct Scenario {
  std::string name;         // defaults to the file's stem
  std::string description;  // free text, printed in the summary
  SourceLoc loc;            // the file itself
  uint64_t seed = 1;        // overridden by --seed
  // Nodes are named by `name_pattern` with "{i}" replaced by the 1-based index.
  uint32_t node_count = 0;
  std::string name_pattern = "node{i}@sim";
  NodeConfig node_config;
  std::vector<NodeGroup> groups;
  NetworkSpec network;
  std::vector<Step> timeline;
  std::vector<Expectation> expectations;
  std::vector<ReportWindow> report_windows;
  // Bounds of the run: reaching either before `duration` ends is a failure
  // with a message, never a pass. The run stops at `duration`.
  Duration duration = Duration::seconds(60);
  uint64_t max_events = 100'000'000;
  // How often connectivity is sampled to measure healing time, and registry
  // agreement to measure convergence time (0 = never).
  Duration probe_period = Duration::millis(100);
};

}  // namespace barrel::sim
