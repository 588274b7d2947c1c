@echo off
rem `latchkey` on PATH for an installed Latchkey app: runs the app's own Electron binary as
rem plain Node (ELECTRON_RUN_AS_NODE=1) on the CLI bundle shipped beside app.asar.
rem Put this folder (resources\bin) on PATH. docs/security.md explains the RunAsNode fuse.
rem No START: a batch file waits for the program, so stdout, stderr and the exit code
rem reach the caller (credential_process reads all three).
setlocal
set ELECTRON_RUN_AS_NODE=1
rem Tells the CLI how it was started, for the credential_process lines it writes.
set LATCHKEY_LAUNCHER=%~f0
"%~dp0..\..\Latchkey.exe" "%~dp0..\app.asar.unpacked\dist\cli\latchkey.cjs" %*
exit /b %ERRORLEVEL%
