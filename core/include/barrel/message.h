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

#include <cstdint>
#include <string_view>
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

// The alternatives are listed in MessageType order, so that
// Message::index() + 1 == MessageType value for the HyParView block.
using Message = std::variant<Join, ForwardJoin, JoinAccept, Neighbor, NeighborReply, Disconnect,
                             Shuffle, ShuffleReply>;

MessageType message_type(const Message& m);

}  // namespace barrel
