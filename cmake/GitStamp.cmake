# Run at every build (cmake -P): writes OUT with the git commit the source tree is at, so
# `depaudit --version` names it. Outside a git checkout (a source tarball, a Docker build
# context without .git) the commit is empty and --version leaves it out. configure_file
# rewrites OUT only when its content changes, so an unchanged commit rebuilds nothing.
set(_commit "")
find_program(_git git)
if(_git AND EXISTS "${SRC}/.git")
  execute_process(COMMAND ${_git} -C "${SRC}" rev-parse --short=12 HEAD
                  OUTPUT_VARIABLE _commit OUTPUT_STRIP_TRAILING_WHITESPACE
                  ERROR_QUIET RESULT_VARIABLE _rc)
  if(NOT _rc EQUAL 0)
    set(_commit "")
  else()
    # Tracked files changed since that commit: the binary is not exactly that commit.
    execute_process(COMMAND ${_git} -C "${SRC}" status --porcelain --untracked-files=no
                    OUTPUT_VARIABLE _changes ERROR_QUIET)
    if(NOT _changes STREQUAL "")
      string(APPEND _commit "-dirty")
    endif()
  endif()
endif()
file(CONFIGURE OUTPUT "${OUT}" CONTENT "#define DEPAUDIT_GIT_COMMIT \"${_commit}\"\n")
