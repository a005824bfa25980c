import OrreryCLI
import ShortestQueue

// An orrery command that also knows `shortest-queue`:
//   swift run custom-orrery run ../../scenarios/chain.yaml --policy shortest-queue
OrreryCommand.main(adding: [.shortestQueue])
