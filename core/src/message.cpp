// message.cpp — MessageType names and the Message alternative -> type table;
// PeerDownReason, ServiceDownReason and MemberState names.
#include "barrel/message.h"

#include <array>
#include <type_traits>

#include "barrel/assert.h"
#include "barrel/event.h"

namespace barrel {
namespace {

// The MessageType of each Message alternative, by variant index. The
// static_asserts below pin every row, so reordering the variant or adding an
// alternative without a row fails to compile.
constexpr std::array<MessageType, 16> kTypeOfIndex = {
    MessageType::kJoin,     MessageType::kForwardJoin,   MessageType::kJoinAccept,
    MessageType::kNeighbor, MessageType::kNeighborReply, MessageType::kDisconnect,
    MessageType::kShuffle,  MessageType::kShuffleReply,  MessageType::kGossip,
    MessageType::kIHave,    MessageType::kGraft,         MessageType::kPrune,
    MessageType::kProbe,    MessageType::kProbeAck,      MessageType::kSyncDigest,
    MessageType::kSyncDelta};

static_assert(std::variant_size_v<Message> == kTypeOfIndex.size(),
              "new message: add its row to kTypeOfIndex");

template <size_t I, typename T, MessageType kType>
constexpr bool at_index() {
  return std::is_same_v<std::variant_alternative_t<I, Message>, T> && kTypeOfIndex[I] == kType;
}
static_assert(at_index<0, Join, MessageType::kJoin>());
static_assert(at_index<1, ForwardJoin, MessageType::kForwardJoin>());
static_assert(at_index<2, JoinAccept, MessageType::kJoinAccept>());
static_assert(at_index<3, Neighbor, MessageType::kNeighbor>());
static_assert(at_index<4, NeighborReply, MessageType::kNeighborReply>());
static_assert(at_index<5, Disconnect, MessageType::kDisconnect>());
static_assert(at_index<6, Shuffle, MessageType::kShuffle>());
static_assert(at_index<7, ShuffleReply, MessageType::kShuffleReply>());
static_assert(at_index<8, Gossip, MessageType::kGossip>());
static_assert(at_index<9, IHave, MessageType::kIHave>());
static_assert(at_index<10, Graft, MessageType::kGraft>());
static_assert(at_index<11, Prune, MessageType::kPrune>());
static_assert(at_index<12, Probe, MessageType::kProbe>());
static_assert(at_index<13, ProbeAck, MessageType::kProbeAck>());
static_assert(at_index<14, SyncDigest, MessageType::kSyncDigest>());
static_assert(at_index<15, SyncDelta, MessageType::kSyncDelta>());

}  // namespace

std::string_view to_string(MessageType t) {
  switch (t) {
    case MessageType::kJoin:
      return "JOIN";
    case MessageType::kForwardJoin:
      return "FORWARD_JOIN";
    case MessageType::kJoinAccept:
      return "JOIN_ACCEPT";
    case MessageType::kNeighbor:
      return "NEIGHBOR";
    case MessageType::kNeighborReply:
      return "NEIGHBOR_REPLY";
    case MessageType::kDisconnect:
      return "DISCONNECT";
    case MessageType::kShuffle:
      return "SHUFFLE";
    case MessageType::kShuffleReply:
      return "SHUFFLE_REPLY";
    case MessageType::kGossip:
      return "GOSSIP";
    case MessageType::kIHave:
      return "IHAVE";
    case MessageType::kGraft:
      return "GRAFT";
    case MessageType::kPrune:
      return "PRUNE";
    case MessageType::kProbe:
      return "PROBE";
    case MessageType::kProbeAck:
      return "PROBE_ACK";
    case MessageType::kSyncDigest:
      return "SYNC_DIGEST";
    case MessageType::kSyncDelta:
      return "SYNC_DELTA";
  }
  return "UNKNOWN";
}

MessageType message_type(const Message& m) {
  BARREL_ASSERT(m.index() < kTypeOfIndex.size());
  return kTypeOfIndex[m.index()];
}

std::string_view to_string(PeerDownReason r) {
  switch (r) {
    case PeerDownReason::kDisconnected:
      return "disconnected";
    case PeerDownReason::kLeft:
      return "left";
    case PeerDownReason::kLinkLost:
      return "link_lost";
    case PeerDownReason::kEvicted:
      return "evicted";
    case PeerDownReason::kLocalLeave:
      return "local_leave";
  }
  return "unknown";
}

std::string_view to_string(ServiceDownReason r) {
  switch (r) {
    case ServiceDownReason::kEndpointClosed:
      return "endpoint_closed";
    case ServiceDownReason::kNodeDead:
      return "node_dead";
  }
  return "unknown";
}

std::string_view to_string(MemberState s) {
  switch (s) {
    case MemberState::kAlive:
      return "alive";
    case MemberState::kSuspect:
      return "suspect";
    case MemberState::kDead:
      return "dead";
  }
  return "unknown";
}

}  // namespace barrel
