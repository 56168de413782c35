from django.apps import AppConfig


class WorkflowsConfig(AppConfig):
    """What spans the stages and must happen in order: the decision (verification records the
    result, reviews opens the case or the partner hears of it, in one transaction) and the
    stuck-document sweep (documents, then ocr_gpu). Above every stage, so none of them imports
    another to call it."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "workflows"
