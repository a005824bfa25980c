import OrreryCLI

// The orrery command; a package that adds policies builds its own with
// `OrreryCommand.main(adding: [PolicyFactory(...)])`.
OrreryCommand.main(adding: [])
