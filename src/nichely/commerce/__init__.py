"""Orders: placing, paying, shipping, delivering, cancelling and refunding, with stock kept exact."""
