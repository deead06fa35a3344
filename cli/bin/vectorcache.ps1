<#
.SYNOPSIS
  Runs the vectorcache command-line program (the shaded vectorcache.jar).
.DESCRIPTION
  Looks for the jar next to this script, in ..\lib, then in ..\target (a source checkout);
  $env:VECTORCACHE_JAR overrides. $env:JAVA_HOME picks the JVM; $env:JAVA_OPTS adds JVM options.
  Every argument is passed on: .\vectorcache.ps1 check --redis-url redis://localhost:6379
#>
$ErrorActionPreference = 'Stop'

$jar = $env:VECTORCACHE_JAR
if (-not $jar) {
  $candidates = @(
    (Join-Path $PSScriptRoot 'vectorcache.jar'),
    (Join-Path $PSScriptRoot (Join-Path '..' (Join-Path 'lib' 'vectorcache.jar'))),
    (Join-Path $PSScriptRoot (Join-Path '..' (Join-Path 'target' 'vectorcache.jar')))
  )
  foreach ($candidate in $candidates) {
    if (Test-Path -LiteralPath $candidate -PathType Leaf) { $jar = $candidate; break }
  }
}
if (-not $jar -or -not (Test-Path -LiteralPath $jar -PathType Leaf)) {
  [Console]::Error.WriteLine('vectorcache: vectorcache.jar not found; build it with: ./mvnw -q -pl cli -am package -DskipTests')
  exit 2
}

$java = 'java'
if ($env:JAVA_HOME) { $java = Join-Path $env:JAVA_HOME (Join-Path 'bin' 'java') }

$javaOpts = @()
if ($env:JAVA_OPTS) { $javaOpts = $env:JAVA_OPTS -split '\s+' | Where-Object { $_ } }

# Progress bars are drawn only when stderr is a terminal.
$tty = if ([Console]::IsErrorRedirected) { 'false' } else { 'true' }

& $java @javaOpts "-Dvectorcache.stderr.tty=$tty" -jar $jar @args
exit $LASTEXITCODE
