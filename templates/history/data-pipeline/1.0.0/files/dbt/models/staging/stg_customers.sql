select
    cast(customer_id as integer) as customer_id,
    name,
    upper(country) as country,
    cast(signed_up as date) as signed_up
from {{ ref('raw_customers') }}
