// swift-tools-version:6.1
import PackageDescription

let strict: [SwiftSetting] = [
  .enableUpcomingFeature("ExistentialAny"),
  .enableUpcomingFeature("MemberImportVisibility"),
]

// compound builds and is tested on Linux only (Debian 12, Swift 6.1 or newer): it uses glibc (crypt_r,
// renameat2) and Debian's system libraries (libsqlite3, cairo, pango, zint, libxlsxwriter). SwiftPM has no way
// to declare Linux alone, so no Apple platform is listed.
let package = Package(
  name: "compound",
  products: [
    .executable(name: "compound", targets: ["compound"])
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
    .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
    .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
  ],
  targets: [
    // Pure domain: no I/O, no GRDB, no C library.
    .target(name: "Quantities", swiftSettings: strict),
    .target(name: "Digest", dependencies: [.product(name: "Crypto", package: "swift-crypto")], swiftSettings: strict),
    .target(name: "Formulation", dependencies: ["Quantities"], swiftSettings: strict),
    .target(name: "Quality", dependencies: ["Quantities", "Formulation"], swiftSettings: strict),
    .target(name: "Dispensing", dependencies: ["Quantities", "Formulation", "Quality"], swiftSettings: strict),
    .target(name: "Pricing", dependencies: ["Quantities"], swiftSettings: strict),
    .target(name: "Accounts", dependencies: ["Dispensing"], swiftSettings: strict),
    .target(name: "Labeling", dependencies: ["Quantities", "Formulation", "Dispensing"], swiftSettings: strict),
    // Shells around the domain.
    .systemLibrary(
      name: "CPangoCairo", pkgConfig: "pangocairo", providers: [.apt(["libpango1.0-dev", "libcairo2-dev"])]),
    .systemLibrary(name: "CZint", providers: [.apt(["libzint-dev"])]),
    .systemLibrary(name: "CCrypt", providers: [.apt(["libcrypt-dev"])]),
    .target(name: "CHugeRegion"),
    .target(name: "FileOutput", swiftSettings: strict),
    .systemLibrary(name: "CFileSystem"),
    .systemLibrary(name: "CSQLiteControl", providers: [.apt(["libsqlite3-dev"])]),
    .target(name: "Sockets", swiftSettings: strict),
    .target(name: "Printing", dependencies: ["FileOutput", "Sockets"], swiftSettings: strict),
    .target(name: "BalanceDevice", dependencies: ["Quantities", "Sockets"], swiftSettings: strict),
    .systemLibrary(
      name: "CXlsxWriter", pkgConfig: "xlsxwriter", providers: [.apt(["libxlsxwriter-dev", "zlib1g-dev"])]),
    .systemLibrary(name: "CMinizip", pkgConfig: "minizip", providers: [.apt(["libminizip-dev", "zlib1g-dev"])]),
    .target(
      name: "Export", dependencies: ["CXlsxWriter", "CMinizip", "FileOutput", "Quantities", "Formulation", "Store"],
      swiftSettings: strict),
    .target(
      name: "LabelRendering", dependencies: ["Labeling", "CPangoCairo", "CZint"], swiftSettings: strict),
    .target(
      name: "Settings",
      dependencies: ["Quantities", "Formulation", "Quality", "Dispensing", "Pricing", "Labeling", "TOMLKit"],
      swiftSettings: strict
    ),
    .target(
      name: "Store",
      dependencies: [
        "Quantities", "Formulation", "Quality", "Dispensing", "Pricing", "Accounts", "Digest", "CCrypt", "CHugeRegion",
        "CFileSystem", "CSQLiteControl", "FileOutput", "Settings",
        .product(name: "GRDB", package: "GRDB.swift"), .product(name: "GRDBSQLite", package: "GRDB.swift"),
        .product(name: "PostgresNIO", package: "postgres-nio"),
      ],
      swiftSettings: strict
    ),
    .target(
      name: "CompoundCLI",
      dependencies: [
        "Quantities", "Formulation", "Quality", "Dispensing", "Pricing", "Accounts", "Settings", "Store", "Digest",
        "Labeling",
        "LabelRendering", "Printing", "Export", "FileOutput", "BalanceDevice",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ],
      swiftSettings: strict
    ),
    .executableTarget(name: "compound", dependencies: ["CompoundCLI"], swiftSettings: strict),
    .executableTarget(
      name: "compound-bench",
      dependencies: ["Quantities", "Formulation", "Settings", "Store"],
      swiftSettings: strict
    ),
    .testTarget(
      name: "DomainTests",
      dependencies: [
        "Quantities", "Formulation", "Quality", "Dispensing", "Pricing", "Accounts", "Settings", "Digest",
      ],
      swiftSettings: strict
    ),
    .testTarget(
      name: "CompoundTests",
      dependencies: [
        "compound", "Quantities", "Formulation", "Quality", "Dispensing", "Pricing", "Accounts", "Settings", "Store",
        "CompoundCLI",
        "Digest",
        "Labeling", "LabelRendering", "BalanceDevice", "CHugeRegion",
      ],
      exclude: ["Golden", "Fixtures"],
      swiftSettings: strict
    ),
  ],
  swiftLanguageModes: [.v6]
)
