# Sourced by ab.sh and instructions.sh: `build_both PRODUCT` checks out $base and $head in a
# scratch worktree each ($scratch/base, $scratch/head) and builds PRODUCT there (release);
# the worktrees and the scratch folder go when the script exits.
top=$(git rev-parse --show-toplevel)
scratch=$(mktemp -d)
cleanup() {
    git -C "$top" worktree remove --force "$scratch/base" 2>/dev/null || true
    git -C "$top" worktree remove --force "$scratch/head" 2>/dev/null || true
    rm -rf "$scratch"
}
trap cleanup EXIT

build_both() {
    local side rev
    for side in base head; do
        rev=${!side}
        git -C "$top" worktree add --detach --quiet "$scratch/$side" "$rev"
        echo "building $side ($(git -C "$top" rev-parse --short "$rev")) ..." >&2
        (cd "$scratch/$side" && swift build -c release --product "$1" >/dev/null)
    done
}
