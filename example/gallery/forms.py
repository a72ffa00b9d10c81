from django import forms

from gallery.models import Upload


class UploadForm(forms.ModelForm):
    lifetime = forms.IntegerField(
        min_value=0,
        # A year: far enough for the demo, and a date every database holds.
        max_value=365 * 24 * 3600,
        initial=600,
        help_text="Seconds until the file expires; 0 keeps it.",
    )

    class Meta:
        model = Upload
        fields = ["title", "file"]
