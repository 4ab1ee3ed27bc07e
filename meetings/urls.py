from django.urls import path

from .views import calendars, letters, packs, sessions, years

app_name = "meetings"
urlpatterns = [
    path("", years.year_list_view, name="year-list"),
    path("years/plan/", years.year_plan_view, name="year-plan"),
    path("years/<int:fiscal_year>/", years.year_detail_view, name="year-detail"),
    path("years/<int:fiscal_year>/timeline/", years.year_timeline_view, name="year-timeline"),
    path(
        "years/<int:fiscal_year>/calendar.ics",
        calendars.year_calendar_view,
        name="year-calendar",
    ),
    path(
        "years/<int:fiscal_year>/sessions/add/",
        years.session_add_view,
        name="session-add",
    ),
    path("letters/<int:fiscal_year>/new/", letters.letter_new_view, name="letter-new"),
    path("letters/<int:letter_id>/reply/", letters.letter_reply_view, name="letter-reply"),
    path("steps/<int:step_id>/tick/", years.step_tick_view, name="step-tick"),
    path("steps/<int:step_id>/reopen/", years.step_reopen_view, name="step-reopen"),
    path("sessions/<int:session_id>/", sessions.session_detail_view, name="session-detail"),
    path(
        "sessions/<int:session_id>/details/",
        sessions.session_details_view,
        name="session-details",
    ),
    path(
        "sessions/<int:session_id>/reschedule/",
        sessions.session_reschedule_view,
        name="session-reschedule",
    ),
    path(
        "sessions/<int:session_id>/status/<slug:action>/",
        sessions.session_status_view,
        name="session-status",
    ),
    path("sessions/<int:session_id>/undo/", sessions.session_undo_view, name="session-undo"),
    path(
        "sessions/<int:session_id>/schedule/",
        sessions.session_schedule_view,
        name="session-schedule",
    ),
    path(
        "sessions/<int:session_id>/connection-test/",
        sessions.connection_test_view,
        name="connection-test",
    ),
    path(
        "sessions/<int:session_id>/connection-test/done/",
        sessions.connection_test_done_view,
        name="connection-test-done",
    ),
    path(
        "sessions/<int:session_id>/connection-test/waive/",
        sessions.connection_test_waive_view,
        name="connection-test-waive",
    ),
    path(
        "sessions/<int:session_id>/connection-test/cancel/",
        sessions.connection_test_cancel_view,
        name="connection-test-cancel",
    ),
    path("sessions/<int:session_id>/cancel/", sessions.session_cancel_view, name="session-cancel"),
    path(
        "sessions/<int:session_id>/steps/<slug:step>/skip/",
        sessions.session_step_skip_view,
        name="session-step-skip",
    ),
    path("sessions/<int:session_id>/held/", sessions.session_held_view, name="session-held"),
    path(
        "sessions/<int:session_id>/attendance/import/",
        sessions.session_attendance_import_view,
        name="session-attendance-import",
    ),
    path(
        "sessions/<int:session_id>/participants/",
        sessions.participants_view,
        name="session-participants",
    ),
    path(
        "participants/bma/<int:participant_id>/remove/",
        sessions.bma_participant_remove_view,
        name="bma-participant-remove",
    ),
    path(
        "participants/city/<int:participant_id>/remove/",
        sessions.city_participant_remove_view,
        name="city-participant-remove",
    ),
    path("sessions/<int:session_id>/vendors/", sessions.vendors_view, name="session-vendors"),
    path(
        "sessions/<int:session_id>/vendors/products/",
        sessions.vendor_products_view,
        name="session-vendor-products",
    ),
    path("sessions/<int:session_id>/agenda/", sessions.agenda_view, name="session-agenda"),
    path(
        "sessions/<int:session_id>/invitations/",
        sessions.invitations_view,
        name="session-invitations",
    ),
    path(
        "sessions/<int:session_id>/calendar.ics",
        calendars.session_calendar_view,
        name="session-calendar",
    ),
    path("sessions/<int:session_id>/packs/", packs.session_packs_view, name="session-packs"),
    path("packs/<int:pack_id>/", packs.pack_preview_view, name="pack-preview"),
    path("packs/<int:pack_id>/pdf/", packs.pack_pdf_view, name="pack-pdf"),
    path("packs/<int:pack_id>/enable/", packs.pack_enable_view, name="pack-enable"),
    path("packs/<int:pack_id>/revoke/", packs.pack_revoke_view, name="pack-revoke"),
    path("packs/<int:pack_id>/send/", packs.pack_send_view, name="pack-send"),
    path("packs/<int:pack_id>/review/", packs.pack_review_view, name="pack-review"),
    path("pack/<str:token>/", packs.pack_public_view, name="pack-public"),
    path("pack/<str:token>/pdf/", packs.pack_public_pdf_view, name="pack-public-pdf"),
    path(
        "pack/<str:token>/participants/",
        packs.pack_participants_view,
        name="pack-participants",
    ),
    path(
        "teams-requests/<int:request_id>/retry/",
        sessions.teams_request_retry_view,
        name="teams-request-retry",
    ),
]
