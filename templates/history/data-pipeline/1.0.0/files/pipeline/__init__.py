"""Extract and transform steps of the [% pipeline_name %] pipeline."""
