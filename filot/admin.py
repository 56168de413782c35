from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.http import HttpRequest

from filot.models import User
from filot.services import user_revoke_tokens


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ("email",)
    list_display = ("email", "display_name", "is_staff", "is_active", "date_joined")
    sortable_by = ("email", "is_staff", "is_active", "date_joined")  # not the ciphertext
    search_fields = ("email",)  # names are encrypted and cannot be searched
    readonly_fields = ("id", "date_joined", "last_login", "stack_user_id")
    fieldsets = (
        (None, {"fields": ("id", "email", "password")}),
        ("Profile", {"fields": ("display_name", "phone", "stack_user_id")}),
        ("Access", {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)
    list_filter = ("is_staff", "is_active", "groups")
    filter_horizontal = ("groups",)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if change and "is_active" in form.changed_data and not obj.is_active:
            # Deactivated here: the refresh tokens go too, so reactivation revives none.
            user_revoke_tokens(user=obj)
