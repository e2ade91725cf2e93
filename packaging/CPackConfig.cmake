# CPack: Debian package and tarball on Linux, ZIP elsewhere. Included OPTIONAL by the top CMakeLists.
# `cpack -G DEB --config <build>/CPackConfig.cmake` after building; scripts/check-package.sh builds the
# package and tests it the way a user installs it.
if(VFI_BUILD_UI)
    install(FILES ${CMAKE_SOURCE_DIR}/resources/tlbvfi-studio.desktop DESTINATION share/applications)
    install(FILES ${CMAKE_SOURCE_DIR}/resources/icons/tlbvfi-studio.svg
            DESTINATION share/icons/hicolor/scalable/apps)
    install(FILES ${CMAKE_SOURCE_DIR}/packaging/io.github.tlbvfi.Studio.metainfo.xml DESTINATION share/metainfo)
endif()

set(CPACK_PACKAGE_NAME "tlbvfi-studio")
set(CPACK_PACKAGE_VENDOR "TLBVFI Studio")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_PACKAGE_CONTACT "TLBVFI Studio developers")
if(UNIX AND NOT APPLE)
    set(CPACK_GENERATOR "DEB;TGZ")
    set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)   # tlbvfi-studio_<version>_<arch>.deb
    set(CPACK_DEBIAN_PACKAGE_SECTION "video")
    set(CPACK_STRIP_FILES TRUE)   # the RelWithDebInfo build's debug info is most of the size
    set(CPACK_DEBIAN_PACKAGE_DESCRIPTION "${PROJECT_DESCRIPTION}
 Raises the frame rate of long videos (4K, hours) with the TLB-VFI diffusion model: a desktop app
 (tlbvfi-studio) and a command line (tlbvfi). Renders are written in verified chunks, resume after
 a pause, a crash or a restart, and are joined losslessly with the source's audio, subtitles and
 chapters. The model weights are not included: `tlbvfi model download` or the app fetches them.")
    # Libraries from dpkg-shlibdeps (Qt, FFmpeg, LibTorch, libcurl). Debian's LibTorch only asks for
    # some libblas.so.3 and gets the reference BLAS, with which matrix products are ~30x slower:
    # OpenBLAS is a dependency of its own.
    set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
    set(CPACK_DEBIAN_PACKAGE_DEPENDS "libopenblas0-pthread")
    # Playback in the app needs GStreamer's decoders (Qt 6.4's multimedia backend on Debian).
    set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "gstreamer1.0-plugins-base, gstreamer1.0-plugins-good, gstreamer1.0-libav, qt6-translations-l10n")
else()
    set(CPACK_GENERATOR "ZIP")
endif()
include(CPack)
