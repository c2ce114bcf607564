// FilePinStore: the PinStore contract on disk — find/pin/remove/list, a
// different key never replaces a pin, pins persist across instances, names
// are validated before any path is built, damaged pin files are errors.
#include "barrel/transport/file_pin_store.h"

#include <sys/stat.h>

#include <gtest/gtest.h>

#include "barrel/transport/secure_file.h"
#include "temp_dir.h"

namespace barrel::transport {
namespace {

using test::mode_of;
using test::slurp;
using test::spit;
using test::TempDir;
using test::tree;

PublicKey key_of(uint8_t fill) {
  PublicKey k{};
  k.fill(fill);
  k[0] = 0xA0;
  return k;
}

TEST(FilePinStore, PinFindRemove) {
  TempDir dir;
  FilePinStore store(dir.path());
  auto none = store.find("a@h");
  ASSERT_TRUE(none.is_ok()) << none.status().to_string();
  EXPECT_FALSE(none->has_value());

  ASSERT_TRUE(store.pin("a@h", key_of(1)).is_ok());
  auto found = store.find("a@h");
  ASSERT_TRUE(found.is_ok() && found->has_value());
  EXPECT_EQ(**found, key_of(1));
  EXPECT_EQ(mode_of(dir / "a@h.pub"), 0600);
  EXPECT_EQ(slurp(dir / "a@h.pub").size(), 32u);

  EXPECT_TRUE(store.pin("a@h", key_of(1)).is_ok());  // same key: OK
  Status other = store.pin("a@h", key_of(2));
  EXPECT_EQ(other.code(), Code::kAlreadyExists) << other.to_string();
  EXPECT_EQ(**store.find("a@h"), key_of(1));  // never replaced

  EXPECT_TRUE(store.remove("a@h").is_ok());
  EXPECT_EQ(store.remove("a@h").code(), Code::kNotFound);
  EXPECT_FALSE(store.find("a@h")->has_value());
  EXPECT_TRUE(store.pin("a@h", key_of(2)).is_ok());                      // after removal, a new pin
  EXPECT_TRUE(tree(dir.path()) == std::vector<std::string>{"a@h.pub"});  // no temp files
}

TEST(FilePinStore, PinsPersistAcrossInstancesAndListIsSorted) {
  TempDir dir;
  {
    FilePinStore store(dir.path());
    ASSERT_TRUE(store.pin("zed@h", key_of(3)).is_ok());
    ASSERT_TRUE(store.pin("alpha@h", key_of(4)).is_ok());
    ASSERT_TRUE(store.pin("mid@10.0.0.1:4000", key_of(5)).is_ok());
  }
  // Files that are not pins are ignored by list().
  spit(dir / ".zed@h.pub.tmp.0011223344556677", "partial");
  spit(dir / "README", "notes");
  spit(dir / "no-at-sign.pub", std::string(32, 'x'));
  FilePinStore again(dir.path());
  auto all = again.list();
  ASSERT_TRUE(all.is_ok()) << all.status().to_string();
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[0].first, "alpha@h");
  EXPECT_EQ((*all)[0].second, key_of(4));
  EXPECT_EQ((*all)[1].first, "mid@10.0.0.1:4000");
  EXPECT_EQ((*all)[2].first, "zed@h");
  EXPECT_EQ((*all)[2].second, key_of(3));
  EXPECT_EQ(again.pin("zed@h", key_of(9)).code(), Code::kAlreadyExists);
}

TEST(FilePinStore, InvalidNamesNeverReachTheFileSystem) {
  TempDir dir;
  const std::string sub = dir / "sub";
  ASSERT_TRUE(ensure_directory(sub, 0700).is_ok());
  FilePinStore store(sub);
  const std::string_view bads[] = {"",      "noat", "../x@h", "a@h/../../y",
                                   "a/b@h", "a@@h", "a@h\n",  std::string_view("a@h\0x", 5)};
  for (std::string_view bad : bads) {
    EXPECT_EQ(store.pin(bad, key_of(1)).code(), Code::kBadName) << bad;
    EXPECT_EQ(store.find(bad).status().code(), Code::kBadName) << bad;
    EXPECT_EQ(store.remove(bad).code(), Code::kBadName) << bad;
  }
  EXPECT_EQ(tree(dir.path()), std::vector<std::string>{"sub"});
}

TEST(FilePinStore, DamagedPinFilesAreErrorsNamingTheFile) {
  TempDir dir;
  FilePinStore store(dir.path());
  spit(dir / "short@h.pub", std::string(31, 'k'));
  ::chmod((dir / "short@h.pub").c_str(), 0600);
  auto s = store.find("short@h");
  ASSERT_FALSE(s.is_ok());
  EXPECT_EQ(s.status().code(), Code::kMalformed);
  EXPECT_NE(s.status().message().find(dir / "short@h.pub"), std::string_view::npos);
  // A damaged pin is never taken as "no pin" (that would re-pin on TOFU).
  EXPECT_EQ(store.pin("short@h", key_of(1)).code(), Code::kMalformed);
  EXPECT_FALSE(store.list().is_ok());

  spit(dir / "long@h.pub", std::string(33, 'k'));
  EXPECT_EQ(store.find("long@h").status().code(), Code::kMalformed);

  ASSERT_TRUE(store.remove("short@h").is_ok());
  ASSERT_TRUE(store.remove("long@h").is_ok());
  ASSERT_TRUE(store.pin("open@h", key_of(1)).is_ok());
  ASSERT_EQ(::chmod((dir / "open@h.pub").c_str(), 0666), 0);
  EXPECT_EQ(store.find("open@h").status().code(), Code::kFailedPrecondition);
}

TEST(FilePinStore, MissingDirectoryIsAnIoError) {
  TempDir dir;
  FilePinStore store(dir / "absent");
  EXPECT_EQ(store.list().status().code(), Code::kIo);
  EXPECT_EQ(store.pin("a@h", key_of(1)).code(), Code::kIo);
}

}  // namespace
}  // namespace barrel::transport
