import CompoundCLI
import Foundation

// Records, backups and exports are for this account only.
umask(0o077)
exit(Runner.run(Array(CommandLine.arguments.dropFirst())))
