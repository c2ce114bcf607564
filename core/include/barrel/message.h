// message.h — the protocol messages exchanged between Nodes.
//
// The same types flow in both hosts: the transport encodes them with the wire
// codec (codec.h); the simulator passes them in memory, or through the codec
// in wire mode. The sender of a message is never inside it: it is the peer
// at the other end of the (authenticated) connection, given to
// Node::deliver() by the host.
//
// Each message's MessageType value is its type byte on the wire and must
// never change once released; new messages take new numbers.
#pragma once

#include <algorithm>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "barrel/ids.h"

namespace barrel {

enum class MessageType : uint8_t {
  // HyParView, 1..31.
  kJoin = 1,
  kForwardJoin = 2,
  kJoinAccept = 3,
  kNeighbor = 4,
  kNeighborReply = 5,
  kDisconnect = 6,
  kShuffle = 7,
  kShuffleReply = 8,
  // Plumtree, 32..63.
  kGossip = 32,
  kIHave = 33,
  kGraft = 34,
  kPrune = 35,
  // Liveness and registry anti-entropy, 64..95.
  kProbe = 64,
  kProbeAck = 65,
  kSyncDigest = 66,
  kSyncDelta = 67,
};

std::string_view to_string(MessageType t);

// JOIN: sent by a joining node to its contact. The contact adds the sender to
// its active view (evicting a random member if full), answers JOIN_ACCEPT and
// sends FORWARD_JOIN(sender, ARWL) to its other active members.
struct Join {
  bool operator==(const Join&) const = default;
};

// FORWARD_JOIN: a random walk announcing `joiner`. At ttl 0, or at a node
// whose active view holds only the sender, the joiner is added to the active
// view (and told by JOIN_ACCEPT); at ttl == PRWL it is added to the passive
// view; otherwise the walk continues with ttl - 1.
struct ForwardJoin {
  NodeId joiner;
  uint8_t ttl = 0;
  bool operator==(const ForwardJoin&) const = default;
};

// JOIN_ACCEPT: "I have put you in my active view" — from the contact, or from
// the node where a FORWARD_JOIN walk ended. The receiver adds the sender to its
// active view, which keeps active links symmetric.
struct JoinAccept {
  bool operator==(const JoinAccept&) const = default;
};

// NEIGHBOR: a request to become an active neighbour. A high-priority request
// (the sender's active view is empty) is always accepted, evicting a random
// member if needed; a low-priority one only if there is room.
struct Neighbor {
  bool high_priority = false;
  bool operator==(const Neighbor&) const = default;
};

// NEIGHBOR_REPLY: the answer to NEIGHBOR.
struct NeighborReply {
  bool accepted = false;
  bool operator==(const NeighborReply&) const = default;
};

// DISCONNECT: "I removed you from my active view; move me to your passive
// view." `leaving` is set when the sender leaves the cluster (leave()).
struct Disconnect {
  bool leaving = false;
  bool operator==(const Disconnect&) const = default;
};

// SHUFFLE: a random walk from `origin` carrying a sample of its views
// (origin itself, ka active and kp passive members). It ends at ttl 0 or at a
// node with a single active member, which answers SHUFFLE_REPLY to origin
// with as many of its passive members and merges the sample into its passive
// view. At most limits::kShuffleNodesMax nodes.
struct Shuffle {
  NodeId origin;
  uint8_t ttl = 0;
  std::vector<NodeId> nodes;
  bool operator==(const Shuffle&) const = default;
};

// SHUFFLE_REPLY: the passive sample answering a SHUFFLE, sent to its origin.
// At most limits::kShuffleNodesMax nodes.
struct ShuffleReply {
  std::vector<NodeId> nodes;
  bool operator==(const ShuffleReply&) const = default;
};

// --- Plumtree (Leitão, Pereira, Rodrigues, SRDS 2007) -------------------------

// The id of one broadcast: 128 random bits drawn from the origin's Rng by
// Node::broadcast(). Unique across restarts because every incarnation of a
// node is seeded anew. Ordered only so it can key ordered containers; the
// order never reaches an effect.
struct MessageId {
  uint64_t hi = 0;
  uint64_t lo = 0;
  auto operator<=>(const MessageId&) const = default;
};

// Immutable shared bytes: the payload of a broadcast. Copying a Payload copies
// a pointer, so one broadcast fanned out to many peers (or through 10k
// simulated nodes) is stored once. operator== compares the contents.
class Payload {
 public:
  Payload() = default;
  explicit Payload(std::vector<uint8_t> bytes)
      : bytes_(std::make_shared<const std::vector<uint8_t>>(std::move(bytes))) {}

  std::span<const uint8_t> bytes() const {
    return bytes_ ? std::span<const uint8_t>(*bytes_) : std::span<const uint8_t>();
  }
  size_t size() const { return bytes_ ? bytes_->size() : 0; }
  bool operator==(const Payload& o) const {
    const std::span<const uint8_t> a = bytes();
    const std::span<const uint8_t> b = o.bytes();
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin());
  }

 private:
  std::shared_ptr<const std::vector<uint8_t>> bytes_;  // null: empty
};

// Who a broadcast is for. User broadcasts (Node::broadcast) are delivered to
// the subscribers; the others carry the core's own cluster-wide state
// (liveness claims, registry deltas) and are handled inside the Node. Plumtree
// treats all alike. On the wire a byte; other values are kMalformed.
enum class BroadcastKind : uint8_t {
  kUser = 0,
  kLiveness = 1,  // one liveness claim (core/src/liveness/claim_codec.h)
  kRegistry = 2,  // one registry delta (core/src/registry/)
};
inline constexpr uint8_t kBroadcastKindMax = 2;

// GOSSIP: the eager push of a broadcast. `round` is the number of hops from
// `origin` to the sender (0 when the origin sends it). A new id is delivered
// and forwarded to the eager peers; a duplicate is answered by PRUNE.
// At most limits::kBroadcastPayloadBytesMax payload bytes.
struct Gossip {
  MessageId id;
  NodeId origin;
  uint16_t round = 0;
  Payload payload;
  BroadcastKind kind = BroadcastKind::kUser;  // last, so {id, origin, round, payload} is user
  bool operator==(const Gossip&) const = default;
};

// One announcement inside an IHAVE: the sender has delivered `id` and would
// send it as GOSSIP with this `round`.
struct IHaveEntry {
  MessageId id;
  NodeId origin;
  uint16_t round = 0;
  bool operator==(const IHaveEntry&) const = default;
};

// IHAVE: the lazy push, a batch of announcements to a lazy peer. A receiver
// missing an id GRAFTs an announcer if the GOSSIP does not arrive in time.
// At most limits::kIHaveEntriesMax entries.
struct IHave {
  std::vector<IHaveEntry> entries;
  bool operator==(const IHave&) const = default;
};

// GRAFT: "send me `id` and make our link eager" — repairs the tree. `round`
// is the round the sender's IHAVE announced.
struct Graft {
  MessageId id;
  uint16_t round = 0;
  bool operator==(const Graft&) const = default;
};

// PRUNE: "you sent me a duplicate: make our link lazy".
struct Prune {
  bool operator==(const Prune&) const = default;
};

// --- Liveness and registry anti-entropy -----------------------------------------

// PROBE: "are you there?" — sent directly to a peer whose monitored link was
// lost, before suspecting it (DESIGN.md §2, Liveness). Answered by PROBE_ACK
// with the same nonce.
struct Probe {
  uint64_t nonce = 0;
  bool operator==(const Probe&) const = default;
};

// PROBE_ACK: the answer to PROBE, with the sender's boot incarnation and its
// current liveness incarnation.
struct ProbeAck {
  uint64_t nonce = 0;
  uint64_t boot = 0;
  uint64_t incarnation = 0;
  bool operator==(const ProbeAck&) const = default;
};

// SYNC_DIGEST: anti-entropy, sent to one active member every sync period and
// to every new one. The body (opaque to the wire codec, at most
// limits::kSyncBodyBytesMax bytes, versioned and decoded by core/src/sync/)
// holds the sender's incarnations, its suspect and dead claims and its
// OR-Map digest.
struct SyncDigest {
  Payload body;
  bool operator==(const SyncDigest&) const = default;
};

// SYNC_DELTA: what the receiver of a SYNC_DIGEST lacks: an OR-Map delta
// (body as for SYNC_DIGEST).
struct SyncDelta {
  Payload body;
  bool operator==(const SyncDelta&) const = default;
};

// message_type() maps each alternative to its MessageType (message.cpp has
// the table and static_asserts that keep the two in step).
using Message =
    std::variant<Join, ForwardJoin, JoinAccept, Neighbor, NeighborReply, Disconnect, Shuffle,
                 ShuffleReply, Gossip, IHave, Graft, Prune, Probe, ProbeAck, SyncDigest, SyncDelta>;

MessageType message_type(const Message& m);

}  // namespace barrel
