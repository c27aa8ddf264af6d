# A module is one pipeline stage under src/<name>/. It is compiled once, as an OBJECT
# library, and exposed as a small static library da_<name> so that a test links only the
# stage it exercises and the stages below it (a half-written stage elsewhere in the tree
# does not break it). libdepaudit.a is assembled from every module's objects.
function(depaudit_module name)
  cmake_parse_arguments(M "" "" "SOURCES;DEPS;LIBS" ${ARGN})
  add_library(da_${name}_obj OBJECT ${M_SOURCES})
  target_include_directories(da_${name}_obj PUBLIC ${PROJECT_SOURCE_DIR}/include
                                            PRIVATE ${PROJECT_SOURCE_DIR}/src)
  target_compile_options(da_${name}_obj PRIVATE ${DEPAUDIT_WARNINGS})
  target_link_libraries(da_${name}_obj PUBLIC ${M_DEPS} ${M_LIBS})
  add_library(da_${name} STATIC $<TARGET_OBJECTS:da_${name}_obj>)
  target_include_directories(da_${name} PUBLIC ${PROJECT_SOURCE_DIR}/include)
  target_link_libraries(da_${name} PUBLIC ${M_DEPS} ${M_LIBS})
  set_property(GLOBAL APPEND PROPERTY DEPAUDIT_MODULES ${name})
  set_property(GLOBAL APPEND PROPERTY DEPAUDIT_MODULE_LIBS ${M_LIBS})
endfunction()

function(depaudit_finish_library)
  get_property(mods GLOBAL PROPERTY DEPAUDIT_MODULES)
  get_property(libs GLOBAL PROPERTY DEPAUDIT_MODULE_LIBS)
  set(objs "")
  foreach(m ${mods})
    list(APPEND objs $<TARGET_OBJECTS:da_${m}_obj>)
  endforeach()
  add_library(depaudit STATIC ${objs} $<TARGET_OBJECTS:da_grammars_obj>)
  target_include_directories(depaudit PUBLIC ${PROJECT_SOURCE_DIR}/include)
  if(libs)
    list(REMOVE_DUPLICATES libs)
  endif()
  target_link_libraries(depaudit PUBLIC ${libs} PkgConfig::TREESITTER m pthread)
  set_target_properties(depaudit PROPERTIES OUTPUT_NAME depaudit)
endfunction()

# A unit test: one executable per file, linked with cmocka and the modules it names.
function(depaudit_test name)
  cmake_parse_arguments(T "" "" "SOURCES;MODULES;ARGS" ${ARGN})
  add_executable(${name} ${T_SOURCES})
  target_compile_options(${name} PRIVATE ${DEPAUDIT_WARNINGS})
  target_include_directories(${name} PRIVATE ${CMOCKA_INCLUDE_DIR} ${PROJECT_SOURCE_DIR}/src
                                             ${PROJECT_SOURCE_DIR}/tests)
  set(mods "")
  foreach(m ${T_MODULES})
    list(APPEND mods da_${m})
  endforeach()
  target_link_libraries(${name} PRIVATE ${mods} ${CMOCKA_LIBRARY})
  target_compile_definitions(${name} PRIVATE DEPAUDIT_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
  add_test(NAME ${name} COMMAND ${name} ${T_ARGS})
endfunction()
