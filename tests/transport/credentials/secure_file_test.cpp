// secure_file: atomic writes with an exact mode and no leftovers, bounded
// reads, and the "secret must be private" check. Method: real files in a
// fresh /tmp directory per test, inspected with stat(2).
#include "barrel/transport/secure_file.h"

#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "temp_dir.h"

namespace barrel::transport {
namespace {

using test::mode_of;
using test::slurp;
using test::TempDir;
using test::tree;

TEST(SecureFile, WritesTheBytesWithTheExactModeWhateverTheUmask) {
  TempDir dir;
  // A permissive umask must not widen a secret, a strict one must not
  // narrow a public file: the mode is set with fchmod, not left to open(2).
  const mode_t old = ::umask(0);
  Status a = write_file_atomic(dir / "secret", std::string_view("s3cret"), 0600);
  ::umask(077);
  Status b = write_file_atomic(dir / "public", std::string_view("pub"), 0644);
  ::umask(old);
  ASSERT_TRUE(a.is_ok()) << a.to_string();
  ASSERT_TRUE(b.is_ok()) << b.to_string();
  EXPECT_EQ(mode_of(dir / "secret"), 0600);
  EXPECT_EQ(mode_of(dir / "public"), 0644);
  EXPECT_EQ(slurp(dir / "secret"), "s3cret");
  EXPECT_EQ(tree(dir.path()), (std::vector<std::string>{"public", "secret"}));
}

TEST(SecureFile, ReplacesAnExistingFileByRenameNotInPlace) {
  TempDir dir;
  const std::string path = dir / "f";
  ASSERT_TRUE(write_file_atomic(path, std::string_view("old content"), 0600).is_ok());
  struct stat before {};
  ASSERT_EQ(::stat(path.c_str(), &before), 0);
  // A reader that opened the old file keeps seeing the old bytes: the new
  // content arrives as a new inode renamed over the name, never a rewrite.
  FILE* reader = std::fopen(path.c_str(), "rb");
  ASSERT_NE(reader, nullptr);
  ASSERT_TRUE(write_file_atomic(path, std::string_view("new"), 0600).is_ok());
  struct stat after {};
  ASSERT_EQ(::stat(path.c_str(), &after), 0);
  EXPECT_NE(before.st_ino, after.st_ino);
  char buf[32] = {};
  const size_t n = std::fread(buf, 1, sizeof(buf), reader);
  std::fclose(reader);
  EXPECT_EQ(std::string(buf, n), "old content");
  EXPECT_EQ(slurp(path), "new");
  EXPECT_EQ(tree(dir.path()), std::vector<std::string>{"f"});
}

TEST(SecureFile, NoReplaceRefusesAnExistingTargetAndLeavesNoTemp) {
  TempDir dir;
  const std::string path = dir / "pin";
  ASSERT_TRUE(
      write_file_atomic(path, std::string_view("first"), 0600, Overwrite::kNoReplace).is_ok());
  Status s = write_file_atomic(path, std::string_view("second"), 0600, Overwrite::kNoReplace);
  EXPECT_EQ(s.code(), Code::kAlreadyExists) << s.to_string();
  EXPECT_EQ(slurp(path), "first");
  EXPECT_EQ(tree(dir.path()), std::vector<std::string>{"pin"});
}

TEST(SecureFile, AFailedWriteLeavesNeitherTargetNorTemp) {
  TempDir dir;
  // The target is a directory: rename(2) of a file over it fails (EISDIR),
  // after the temp file was written; the temp must be gone afterwards.
  ASSERT_EQ(::mkdir((dir / "target").c_str(), 0700), 0);
  Status s = write_file_atomic(dir / "target", std::string_view("x"), 0600);
  EXPECT_EQ(s.code(), Code::kIo);
  EXPECT_NE(s.message().find(dir / "target"), std::string_view::npos) << s.to_string();
  EXPECT_EQ(tree(dir.path()), std::vector<std::string>{"target"});
  // A missing directory: the error names the temp path and the errno text.
  Status m = write_file_atomic(dir / "nodir/f", std::string_view("x"), 0600);
  EXPECT_EQ(m.code(), Code::kIo);
  EXPECT_NE(m.message().find("No such file or directory"), std::string_view::npos) << m.to_string();
}

TEST(SecureFile, ReadFileIsBounded) {
  TempDir dir;
  ASSERT_TRUE(write_file_atomic(dir / "f", std::string_view("0123456789"), 0600).is_ok());
  auto exact = read_file(dir / "f", 10);
  ASSERT_TRUE(exact.is_ok()) << exact.status().to_string();
  EXPECT_EQ(*exact, "0123456789");
  EXPECT_EQ(read_file(dir / "f", 9).status().code(), Code::kOversized);
  EXPECT_EQ(read_file(dir / "missing", 9).status().code(), Code::kNotFound);
  EXPECT_EQ(read_file(dir.path(), 9).status().code(), Code::kIo);  // a directory
  ASSERT_TRUE(write_file_atomic(dir / "empty", std::string_view(""), 0600).is_ok());
  auto empty = read_file(dir / "empty", 4);
  ASSERT_TRUE(empty.is_ok());
  EXPECT_TRUE(empty->empty());
}

TEST(SecureFile, CheckPrivateNamesTheFileTheModeAndTheFix) {
  TempDir dir;
  const std::string path = dir / "node.key";
  ASSERT_TRUE(write_file_atomic(path, std::string_view("k"), 0600).is_ok());
  EXPECT_TRUE(check_private(path).is_ok());
  ASSERT_EQ(::chmod(path.c_str(), 0644), 0);
  Status s = check_private(path);
  EXPECT_EQ(s.code(), Code::kFailedPrecondition);
  EXPECT_NE(s.message().find("0644"), std::string_view::npos) << s.to_string();
  EXPECT_NE(s.message().find("chmod 600 " + path), std::string_view::npos) << s.to_string();
  for (mode_t m : {0640, 0604, 0610, 0601, 0620}) {
    ASSERT_EQ(::chmod(path.c_str(), m), 0);
    EXPECT_FALSE(check_private(path).is_ok()) << std::oct << m;
  }
  ASSERT_EQ(::chmod(path.c_str(), 0400), 0);
  EXPECT_TRUE(check_private(path).is_ok());
  EXPECT_EQ(check_private(dir / "missing").code(), Code::kNotFound);
}

TEST(SecureFile, EnsureDirectoryCreatesParentsAndRefusesAFile) {
  TempDir dir;
  ASSERT_TRUE(ensure_directory(dir / "a/b/c", 0700).is_ok());
  EXPECT_EQ(mode_of(dir / "a/b/c"), 0700);
  EXPECT_TRUE(ensure_directory(dir / "a/b/c", 0700).is_ok());  // idempotent
  ASSERT_TRUE(write_file_atomic(dir / "file", std::string_view("x"), 0600).is_ok());
  EXPECT_EQ(ensure_directory(dir / "file", 0700).code(), Code::kIo);
  EXPECT_EQ(ensure_directory(dir / "file/sub", 0700).code(), Code::kIo);
  auto yes = file_exists(dir / "file");
  auto no = file_exists(dir / "nope");
  ASSERT_TRUE(yes.is_ok() && no.is_ok());
  EXPECT_TRUE(*yes);
  EXPECT_FALSE(*no);
}

}  // namespace
}  // namespace barrel::transport
