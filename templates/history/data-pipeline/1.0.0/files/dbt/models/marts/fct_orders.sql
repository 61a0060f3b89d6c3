-- Orders of known customers with the customer's country.
select
    o.order_id,
    o.order_date,
    o.status,
    o.amount,
    c.customer_id,
    c.country
from {{ ref('stg_orders') }} as o
inner join {{ ref('stg_customers') }} as c on c.customer_id = o.customer_id
