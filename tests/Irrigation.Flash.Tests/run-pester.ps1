#Requires -Version 7.0
# Runs the Pester tests of this folder with the Pester module restored from NuGet (PesterRestore.csproj) and
# prints, as its last line, "N passed, N failed". Exit code 0 only when nothing failed.
#   dotnet tool restore; dotnet restore tests/Irrigation.Flash.Tests/PesterRestore.csproj
#   dotnet pwsh -NoProfile -File tests/Irrigation.Flash.Tests/run-pester.ps1 [-ResultsPath results.xml]
param([string] $ResultsPath)

$ErrorActionPreference = 'Stop'
$PSStyle.OutputRendering = 'PlainText'

$module = Join-Path $PSScriptRoot '.packages' 'pester' '6.2.0' 'tools' 'Pester.psd1'
if (-not (Test-Path $module)) {
    Write-Error "Pester not restored: run dotnet restore $(Join-Path $PSScriptRoot 'PesterRestore.csproj')"
}
Import-Module $module -Force

$config = New-PesterConfiguration
$config.Run.Path = $PSScriptRoot
$config.Run.PassThru = $true
$config.Output.Verbosity = 'Normal'
if ($ResultsPath) {
    $config.TestResult.Enabled = $true
    $config.TestResult.OutputFormat = 'NUnitXml'
    $config.TestResult.OutputPath = $ResultsPath
}

$result = Invoke-Pester -Configuration $config
$failed = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount
Write-Host "$($result.PassedCount) passed, $failed failed"
exit $(if ($failed -eq 0 -and $result.PassedCount -gt 0) { 0 } else { 1 })
