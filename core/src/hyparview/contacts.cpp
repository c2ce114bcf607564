// contacts.cpp — see contacts.h.
#include "hyparview/contacts.h"

#include <algorithm>

#include "barrel/assert.h"
#include "barrel/limits.h"

namespace barrel::hyparview {

Status Contacts::add(NodeId contact) {
  BARREL_ASSERT(contact.valid());
  auto it = std::find(contacts_.begin(), contacts_.end(), contact);
  if (it == contacts_.end()) {
    if (contacts_.size() >= limits::kContactsMax)
      return Status::limit_exceeded("too many contact nodes (limits::kContactsMax)");
    it = contacts_.insert(contacts_.end(), contact);
  }
  answered_ = false;
  const auto index = static_cast<size_t>(it - contacts_.begin());
  next_ = static_cast<uint32_t>((index + 1) % contacts_.size());
  BARREL_ASSERT(contacts_.size() <= limits::kContactsMax);
  return Status::ok();
}

bool Contacts::contains(NodeId id) const {
  return std::find(contacts_.begin(), contacts_.end(), id) != contacts_.end();
}

NodeId Contacts::next() {
  BARREL_ASSERT(!contacts_.empty());
  BARREL_ASSERT(next_ < contacts_.size());
  const NodeId c = contacts_[next_];
  next_ = static_cast<uint32_t>((next_ + 1) % contacts_.size());
  return c;
}

void Contacts::arm(Instant now, Duration period) {
  if (retry_at_.is_never())
    retry_at_ = now + period;
}

}  // namespace barrel::hyparview
