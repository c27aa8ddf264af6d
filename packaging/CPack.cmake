# The Debian package (`cpack -G DEB` in the build directory, or scripts in
# tests/packaging): one binary package, its runtime library dependencies found by
# dpkg-shlibdeps, the binary stripped (lintian), everything under /usr.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME depaudit)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
# Who signs the package: set a real address with -DDEPAUDIT_DEB_MAINTAINER=... when
# publishing one (lintian rejects localhost-style addresses).
set(DEPAUDIT_DEB_MAINTAINER "depaudit maintainers <depaudit@example.org>"
    CACHE STRING "Maintainer of the Debian package")
set(CPACK_PACKAGE_CONTACT "${DEPAUDIT_DEB_MAINTAINER}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "checks Python imports against what a Dockerfile's image installs")
# Lines under 80 columns (lintian: extended-description-line-too-long).
set(CPACK_PACKAGE_DESCRIPTION
    "depaudit reads a Python project's imports and the Dockerfile that packages
it, resolves what pip would install in the final image, and reports the
imports that will fail there, the requirements only installed by accident and
those no code uses, each with its place in the code and the requirement to
add. It never runs the code it reads. Offline answers come from a metadata
snapshot compiled in.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
# A Debian revision (0.1.0-1): the package is not native, so its changelog is
# changelog.Debian.gz (lintian: wrong-name-for-changelog-of-native-package).
set(CPACK_DEBIAN_PACKAGE_RELEASE 1)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# gzip: seconds to build, where xz takes a minute on the 11 MB binary.
set(CPACK_DEBIAN_COMPRESSION_TYPE gzip)
include(CPack)
