// message.cpp — MessageType names and the Message alternative -> type table;
// PeerDownReason names.
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
constexpr std::array<MessageType, 12> kTypeOfIndex = {
    MessageType::kJoin,     MessageType::kForwardJoin,   MessageType::kJoinAccept,
    MessageType::kNeighbor, MessageType::kNeighborReply, MessageType::kDisconnect,
    MessageType::kShuffle,  MessageType::kShuffleReply,  MessageType::kGossip,
    MessageType::kIHave,    MessageType::kGraft,         MessageType::kPrune};

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

}  // namespace barrel
