// file_pin_store.h — barrel::PinStore (core/include/barrel/trust.h) on disk:
// one file per pinned node, data/keys/trusted/<name>.pub, holding the raw
// 32-byte Ed25519 public key, mode 0600, written atomically.
//
// Every name is checked with barrel::validate_node_name (and for '/', which
// the grammar already forbids) before a path is built from it, so a peer's
// name can never point outside the directory. Files in the directory that are
// not "<valid name>.pub" (the temp files of an interrupted write, an
// operator's notes) are ignored by list().
//
// A pin is created with Overwrite::kNoReplace: "a different key is never
// silently replaced" holds even if two processes pin the same name at once.
// A pin file that is not 32 bytes is an error naming it (kMalformed), never
// taken as "no pin", so a damaged store cannot turn into a fresh TOFU pin.
// A pin file writable by group or others is refused (kFailedPrecondition):
// whoever can write it can choose whom we trust.
//
// Thread-safety: none inside; the core calls it from one strand. Each call
// goes to the file system (no cache), so a pin added or removed by an
// operator with a shell is seen at once.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "barrel/trust.h"

namespace barrel::transport {

class FilePinStore final : public PinStore {
 public:
  // Pins kept at most: list() fails with kLimitExceeded beyond it.
  static constexpr size_t kPinsMax = 65536;

  // `trusted_dir` is data_dir/keys/trusted (CredentialPaths::trusted_dir);
  // it must exist (load_or_create_credentials creates it).
  explicit FilePinStore(std::string trusted_dir) : dir_(std::move(trusted_dir)) {}

  // kBadName for an invalid name; otherwise as PinStore documents.
  Result<std::optional<PublicKey>> find(std::string_view name) const override;
  Status pin(std::string_view name, const PublicKey& key) override;
  Status remove(std::string_view name) override;
  Result<std::vector<std::pair<std::string, PublicKey>>> list() const override;

  // The file that holds (or would hold) `name`'s pin. REQUIRES: a valid name.
  std::string path_of(std::string_view name) const;

 private:
  std::string dir_;
};

}  // namespace barrel::transport
