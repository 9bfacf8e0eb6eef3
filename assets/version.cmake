# Writes OUT with the git revision the tree was built from ("" outside a git checkout),
# rewriting it only when it changes so a build that did not move HEAD recompiles nothing.
# Run at every build (not only at configure time): a commit after configuring must show.
execute_process(COMMAND git -C ${SRC} rev-parse --short=12 HEAD
                OUTPUT_VARIABLE rev OUTPUT_STRIP_TRAILING_WHITESPACE
                RESULT_VARIABLE failed ERROR_QUIET)
if(failed)
    set(rev "")
else()
    execute_process(COMMAND git -C ${SRC} diff --quiet HEAD RESULT_VARIABLE dirty ERROR_QUIET)
    if(dirty)
        set(rev "${rev}-dirty")
    endif()
endif()
set(text "#define RCTTOP_REVISION \"${rev}\"\n")
if(EXISTS ${OUT})
    file(READ ${OUT} old)
endif()
if(NOT "${old}" STREQUAL "${text}")
    file(WRITE ${OUT} "${text}")
endif()
