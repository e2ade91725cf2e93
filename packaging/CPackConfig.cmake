# CPack: Debian package and tarball on Linux, ZIP elsewhere. Included OPTIONAL by the top CMakeLists.
# `cpack --config build/CPackConfig.cmake` after building.
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
    set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
    set(CPACK_DEBIAN_PACKAGE_SECTION "video")
    # Playback in the app needs GStreamer's decoders (Qt 6.4's multimedia backend on Debian).
    set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "gstreamer1.0-plugins-base, gstreamer1.0-plugins-good, gstreamer1.0-libav, qt6-translations-l10n")
else()
    set(CPACK_GENERATOR "ZIP")
endif()
include(CPack)
