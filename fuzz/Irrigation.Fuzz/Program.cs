using Irrigation.Fuzz;

// The parsers' fuzz targets (docs/fuzzing.md). fuzz/run.sh drives them; by hand:
//   Irrigation.Fuzz list                      the targets
//   Irrigation.Fuzz seed TARGET REPO DIR      writes TARGET's seed corpus (from REPO) into DIR
//   Irrigation.Fuzz coverage COBERTURA...     each target's source coverage in the replay tests' reports
//   Irrigation.Fuzz TARGET                    under afl-fuzz: SharpFuzz's fork server, one input per run on stdin
//   Irrigation.Fuzz TARGET FILE|DIR...        replays inputs and says which broke a rule (exit 1 if any)
return args switch
{
    ["list"] => Commands.List(),
    ["seed", var name, var repo, var dir] => Commands.Seed(name, repo, dir),
    ["coverage", .. var reports] when reports.Length > 0 => Commands.Coverage(reports),
    [var name] => Commands.Fuzz(name),
    [var name, .. var paths] => Commands.Replay(name, paths),
    _ => Commands.Usage(),
};
